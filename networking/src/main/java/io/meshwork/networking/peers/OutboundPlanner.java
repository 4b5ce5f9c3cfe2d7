package io.meshwork.networking.peers;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which peers to dial and which outbound peer to drop, decided without I/O: {@link #tick} looks at
 * the connections the host has (a {@link ConnectionView}) and the time, and returns {@link Action}s
 * for the {@link PeerManager} to carry out; the manager reports back with {@link #dialFailed},
 * {@link #outboundConnected} and {@link #disconnected}. Unit-tested in virtual time.
 *
 * <p>Order of business, after Bitcoin Core's {@code ThreadOpenConnections}: the anchors first, then
 * the bootstrap peers if the book was (nearly) empty or no anchor answered, then the address book
 * until {@code targetOutbound} outbound connections are open, each in its own address group (so one
 * network cannot hold all our outbound slots); a feeler every {@code feelerInterval} to test an
 * address of the new table; every {@code rotationInterval}, the longest connected outbound peer
 * that is not an anchor is dropped so that a fresh one is tried.
 *
 * <p>Not thread-safe: owned by the peer manager's thread.
 */
final class OutboundPlanner {
  /** Why a peer is dialed. */
  enum Purpose {
    ANCHOR,
    BOOTSTRAP,
    OUTBOUND,
    /** An outbound peer that dropped unexpectedly, dialed again after its backoff. */
    REDIAL,
    /** A short connection that tests an address from the new table. */
    FEELER
  }

  /** What the manager should do. */
  sealed interface Action {
    /** Dial {@code peer} at {@code address} (without {@code /p2p}). */
    record Dial(PeerId peer, Multiaddr address, Purpose purpose) implements Action {}

    /** Close the outbound connection to {@code peer} so that its slot goes to a fresh peer. */
    record Rotate(PeerId peer) implements Action {}
  }

  /** An open outbound connection: the peer, the address we dialed and since when. */
  record Outbound(PeerId peer, Multiaddr address, Instant since) {}

  /** The host's connections as the planner sees them. */
  interface ConnectionView {
    /** Open outbound connections. */
    List<Outbound> outbound();

    /** Whether any connection (either direction) to {@code peer} is open. */
    boolean isConnected(PeerId peer);
  }

  /** A bound on redial candidates remembered: more than the outbound slots is never useful. */
  private static final int REDIAL_FACTOR = 2;

  private final PeerManagerConfig config;
  private final PeerId self;
  private final AddressBook book;
  private final BanList bans;
  private final DialBackoff backoff;
  private final Anchors anchors;
  private final List<PeerAddresses> bootstrap;
  private final boolean bookNearlyEmpty;
  private final Map<PeerId, Purpose> dialing = new LinkedHashMap<>();

  /**
   * The address group of each dial in flight. It is reserved as if connected: dials run in parallel
   * here (Bitcoin Core dials one at a time), and dials into an attacker's silent network hang until
   * they time out, so without this every slot could be left waiting on one group.
   */
  private final Map<PeerId, AddressGroup> dialingGroups = new HashMap<>();

  private final Set<PeerId> redial = new LinkedHashSet<>();
  private final Set<PeerId> anchorsDialedAtStart = new HashSet<>();
  private final Set<PeerId> feelersOpen = new HashSet<>();
  private boolean started;
  private boolean bootstrapDone;
  private boolean anchorConnected;
  private Optional<PeerId> lastRotated = Optional.empty();
  private Instant nextFeeler = Instant.MIN;
  private Instant nextRotation = Instant.MIN;

  /**
   * @param bootstrap the configured bootstrap peers; added to the book (source BOOTSTRAP) here
   */
  OutboundPlanner(
      PeerManagerConfig config,
      PeerId self,
      AddressBook book,
      BanList bans,
      DialBackoff backoff,
      Anchors anchors,
      List<PeerAddresses> bootstrap) {
    this.config = config;
    this.self = self;
    this.book = book;
    this.bans = bans;
    this.backoff = backoff;
    this.anchors = anchors;
    this.bootstrap = List.copyOf(bootstrap);
    this.bookNearlyEmpty = book.newCount() + book.triedCount() < config.targetOutbound();
    for (PeerAddresses peer : this.bootstrap) {
      book.add(peer, DiscoverySource.BOOTSTRAP, Optional.empty());
    }
  }

  /** What to do now. */
  List<Action> tick(Instant now, ConnectionView view) {
    List<Action> actions = new ArrayList<>();
    if (!started) {
      started = true;
      nextFeeler = now.plus(config.feelerInterval());
      nextRotation = now.plus(config.rotationInterval());
      for (PeerAddresses anchor : anchors.peers()) {
        if (usable(anchor.peerId(), view) && !anchor.addresses().isEmpty()) {
          anchorsDialedAtStart.add(anchor.peerId());
          actions.add(dial(anchor.peerId(), anchor.addresses().get(0), Purpose.ANCHOR));
        }
      }
      if (!actions.isEmpty()) {
        return actions; // anchors first: nothing else until they answered
      }
    }
    if (anchorsDialedAtStart.stream().anyMatch(dialing::containsKey)) {
      return actions;
    }
    if (!bootstrapDone) {
      bootstrapDone = true;
      if (bookNearlyEmpty || !anchorConnected) {
        for (PeerAddresses peer : bootstrap) {
          if (usable(peer.peerId(), view) && !peer.addresses().isEmpty()) {
            actions.add(dial(peer.peerId(), peer.addresses().get(0), Purpose.BOOTSTRAP));
          }
        }
      }
    }
    fill(view, actions);
    if (!now.isBefore(nextFeeler)) {
      nextFeeler = now.plus(config.feelerInterval());
      if (!dialing.containsValue(Purpose.FEELER)) {
        book.select(true, e -> usable(e.peerId(), view) && !dialingGroups.containsValue(e.group()))
            .ifPresent(e -> actions.add(dial(e.peerId(), addressOf(e), Purpose.FEELER)));
      }
    }
    if (!now.isBefore(nextRotation)) {
      nextRotation = now.plus(config.rotationInterval());
      rotation(view).ifPresent(actions::add);
    }
    return actions;
  }

  /** Dials from the redial list, then the book, until the outbound target is met. */
  private void fill(ConnectionView view, List<Action> actions) {
    List<Outbound> outbound = steadyOutbound(view);
    Set<AddressGroup> usedGroups = new HashSet<>();
    outbound.forEach(o -> usedGroups.add(groupOf(o.address())));
    usedGroups.addAll(dialingGroups.values());
    long pending = dialing.entrySet().stream().filter(e -> e.getValue() != Purpose.FEELER).count();
    int slots = (int) (config.targetOutbound() - outbound.size() - pending);
    for (PeerId peer : List.copyOf(redial)) {
      if (slots <= 0) {
        return;
      }
      Optional<AddressBookEntry> entry = book.get(peer);
      if (entry.isEmpty() || !usable(peer, view) && !backoff.isBackingOff(peer)) {
        redial.remove(peer); // gone from the book, banned or connected again
      } else if (usable(peer, view) && !usedGroups.contains(entry.get().group())) {
        redial.remove(peer);
        usedGroups.add(entry.get().group());
        actions.add(dial(peer, addressOf(entry.get()), Purpose.REDIAL));
        slots--;
      }
    }
    Predicate<AddressBookEntry> accept =
        e ->
            usable(e.peerId(), view)
                && !usedGroups.contains(e.group())
                && !lastRotated.equals(Optional.of(e.peerId()));
    while (slots > 0) {
      Optional<AddressBookEntry> entry = book.select(false, accept);
      if (entry.isEmpty()) {
        return;
      }
      usedGroups.add(entry.get().group());
      actions.add(dial(entry.get().peerId(), addressOf(entry.get()), Purpose.OUTBOUND));
      slots--;
    }
  }

  private Optional<Action> rotation(ConnectionView view) {
    List<Outbound> outbound = steadyOutbound(view);
    if (outbound.size() < config.targetOutbound()) {
      return Optional.empty();
    }
    Optional<Outbound> oldest =
        outbound.stream()
            .filter(o -> !anchors.contains(o.peer()))
            .min(Comparator.comparing(Outbound::since));
    lastRotated = oldest.map(Outbound::peer);
    return oldest.map(o -> new Action.Rotate(o.peer()));
  }

  /** Outbound connections that count towards the target: feelers we will close do not. */
  private List<Outbound> steadyOutbound(ConnectionView view) {
    return view.outbound().stream().filter(o -> !feelersOpen.contains(o.peer())).toList();
  }

  private boolean usable(PeerId peer, ConnectionView view) {
    return !peer.equals(self)
        && !view.isConnected(peer)
        && !dialing.containsKey(peer)
        && !bans.isBanned(peer)
        && !backoff.isBackingOff(peer);
  }

  /** Rotates through a peer's addresses as its dials fail. */
  private static Multiaddr addressOf(AddressBookEntry entry) {
    return entry.addresses().get(entry.failures() % entry.addresses().size());
  }

  private AddressGroup groupOf(Multiaddr address) {
    return config.book().grouping().groupOf(address);
  }

  private Action dial(PeerId peer, Multiaddr address, Purpose purpose) {
    dialing.put(peer, purpose);
    dialingGroups.put(peer, groupOf(address));
    book.attempt(peer);
    return new Action.Dial(peer, address, purpose);
  }

  /** Why {@code peer} is being dialed by us, if it is. */
  Optional<Purpose> dialing(PeerId peer) {
    return Optional.ofNullable(dialing.get(peer));
  }

  /**
   * Our dial of {@code peer} failed: it counts against the peer in the book and backs it off.
   * Returns how long until it may be dialed again.
   */
  Duration dialFailed(PeerId peer) {
    dialDone(peer);
    book.failed(peer);
    return backoff.failed(peer);
  }

  /**
   * An outbound connection to {@code peer} at {@code address} opened (ours or any other dial of the
   * host): the address worked, so the entry goes to the tried table and its backoff is forgotten.
   * Returns the purpose of our dial, if it was ours.
   */
  Optional<Purpose> outboundConnected(PeerId peer, Multiaddr address) {
    Optional<Purpose> purpose = Optional.ofNullable(dialing.get(peer));
    dialDone(peer);
    if (book.get(peer).isEmpty()) {
      book.add(
          new PeerAddresses(peer, List.of(address)), DiscoverySource.IDENTIFY, Optional.empty());
    }
    book.good(peer);
    backoff.succeeded(peer);
    redial.remove(peer);
    if (purpose.filter(p -> p == Purpose.ANCHOR).isPresent()) {
      anchorConnected = true;
    }
    if (purpose.filter(p -> p == Purpose.FEELER).isPresent()) {
      feelersOpen.add(peer);
    }
    return purpose;
  }

  /**
   * Whether the feeler connection to {@code peer} should stay as an outbound connection: only if a
   * slot is free and its group is not used yet. A feeler that is not kept stays out of the outbound
   * count until it is {@link #disconnected}.
   */
  boolean keepFeeler(PeerId peer, Multiaddr address, ConnectionView view) {
    List<Outbound> others =
        steadyOutbound(view).stream().filter(o -> !o.peer().equals(peer)).toList();
    AddressGroup group = groupOf(address);
    long pending = dialing.entrySet().stream().filter(e -> e.getValue() != Purpose.FEELER).count();
    boolean keep =
        others.size() + pending < config.targetOutbound()
            && others.stream().noneMatch(o -> groupOf(o.address()).equals(group));
    if (keep) {
      feelersOpen.remove(peer); // from now on an ordinary outbound peer
    }
    return keep;
  }

  /** Our dial of {@code peer} ended without a new outbound connection of ours (e.g. reused). */
  void dialAbandoned(PeerId peer) {
    dialDone(peer);
  }

  private void dialDone(PeerId peer) {
    dialing.remove(peer);
    dialingGroups.remove(peer);
  }

  /**
   * The last connection to {@code peer} closed. An outbound peer that we did not drop on purpose is
   * dialed again once its backoff allows (a disconnect counts as a failure, so a flapping peer is
   * retried ever more slowly).
   */
  void disconnected(PeerId peer, boolean outbound, boolean onPurpose) {
    boolean wasFeeler = feelersOpen.remove(peer);
    if (!outbound || onPurpose || wasFeeler || bans.isBanned(peer)) {
      return;
    }
    backoff.failed(peer);
    redial.add(peer);
    while (redial.size() > REDIAL_FACTOR * config.targetOutbound()) {
      redial.remove(redial.iterator().next());
    }
  }

  /** Dials in flight, for metrics. */
  int dialsInFlight() {
    return dialing.size();
  }
}
