package io.meshwork.networking.peers;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node well connected and hard to eclipse: feeds every address the host's services report
 * (identify, DHT, gossipsub PX, PEX) into one {@link AddressBook}, keeps {@code targetOutbound}
 * diverse outbound connections (decided by an {@link OutboundPlanner}), remembers anchors, tests
 * new addresses with feelers, rotates one outbound peer now and then, backs off failed dials and
 * enforces bans through the host's {@link io.meshwork.networking.core.ConnectionGater}. Everything
 * it does is reported as a {@link NetworkEvent} on the host.
 *
 * <p>Threads: all state lives on one scheduler thread; public methods are thread-safe and hop onto
 * it (the queries wait for it, at most a few seconds). Host events are handed over from the event
 * thread; discovery reports beyond a bound are dropped and counted rather than queued without
 * limit.
 */
public final class PeerManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerManager.class);
  static final int MAX_BANS = 4096;
  static final int MAX_BACKOFF_PEERS = 4096;
  static final int MAX_QUEUED_REPORTS = 1024;
  static final int MISBEHAVIOUR_LIMIT = 3;
  static final int MAX_OFFENDERS = 4096;
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

  /** Counts for {@code /metrics}. */
  public record Metrics(
      int newAddresses,
      int triedAddresses,
      int outbound,
      int inbound,
      int banned,
      int backingOff,
      int dialsInFlight,
      long dialsFailed,
      long feelers,
      long rotations,
      long reportsDropped) {}

  private final Host host;
  private final PeerManagerConfig config;
  private final PeerDataStore store;
  private final Clock clock;
  private final ScheduledThreadPoolExecutor executor;
  private final AddressBook book;
  private final BanList bans;
  private final DialBackoff backoff;
  private final Anchors anchors;
  private final OutboundPlanner planner;
  private final OutboundDialer dialer;

  /** Misbehaviour reports per peer, bounded; see {@link #misbehaved}. */
  private final Map<PeerId, Integer> offences =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, Integer> eldest) {
          return size() > MAX_OFFENDERS;
        }
      };

  private final AtomicInteger queuedReports = new AtomicInteger();
  private final AtomicLong reportsDropped = new AtomicLong();
  private final Subscription subscription;
  private volatile boolean closed;

  private PeerManager(
      Host host,
      PeerManagerConfig config,
      PeerDataStore store,
      List<Multiaddr> bootstrap,
      Clock clock,
      RandomGenerator random) {
    this.host = host;
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.book = AddressBook.load(store, config.book(), clock, random);
    this.bans = BanList.load(store, MAX_BANS, clock);
    this.backoff =
        new DialBackoff(
            config.backoffBase(),
            config.backoffMax(),
            DialBackoff.Jitter.DECORRELATED,
            MAX_BACKOFF_PEERS,
            clock,
            random);
    this.anchors = Anchors.load(store, config.anchors());
    this.planner =
        new OutboundPlanner(
            config, host.peerId(), book, bans, backoff, anchors, bootstrapPeers(bootstrap));
    this.dialer = new OutboundDialer(host, planner, anchors, clock, this::onThread);
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "peer-manager-" + shortId(host.peerId()));
              thread.setDaemon(true);
              return thread;
            });
    host.setConnectionGater(this::deny);
    this.subscription = host.subscribe(this::onEvent);
    executor.scheduleWithFixedDelay(
        guarded("tick", this::tick), 0, config.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
    long flushMillis = config.flushInterval().toMillis();
    executor.scheduleWithFixedDelay(
        guarded("flush", this::flush), flushMillis, flushMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts managing {@code host}'s peers from what {@code store} remembers (address book, bans,
   * anchors) and the {@code bootstrap} addresses, each of which must name its peer with {@code
   * /p2p}. Installs the manager's connection gater on the host.
   */
  public static PeerManager start(
      Host host, PeerManagerConfig config, PeerDataStore store, List<Multiaddr> bootstrap) {
    return start(host, config, store, bootstrap, Clock.systemUTC(), new SplittableRandom());
  }

  static PeerManager start(
      Host host,
      PeerManagerConfig config,
      PeerDataStore store,
      List<Multiaddr> bootstrap,
      Clock clock,
      RandomGenerator random) {
    return new PeerManager(host, config, store, bootstrap, clock, random);
  }

  private static List<PeerAddresses> bootstrapPeers(List<Multiaddr> bootstrap) {
    Map<PeerId, List<Multiaddr>> byPeer = new LinkedHashMap<>();
    for (Multiaddr address : bootstrap) {
      PeerId peer =
          address
              .p2pMultihash()
              .map(PeerId::fromBytes)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "bootstrap address " + address + " must end with /p2p/<peer-id>"));
      byPeer.computeIfAbsent(peer, p -> new ArrayList<>()).add(address.withoutP2p());
    }
    List<PeerAddresses> peers = new ArrayList<>();
    byPeer.forEach((peer, addresses) -> peers.add(new PeerAddresses(peer, addresses)));
    return peers;
  }

  /**
   * Bans {@code peer} for {@code duration}: it is disconnected and refused both ways until then.
   */
  public void ban(PeerId peer, Duration duration, String reason) {
    BanList.Ban ban = bans.ban(peer, duration, reason); // in force for the gater at once
    LOG.info("banning {} until {}: {}", peer, ban.until(), reason);
    host.publish(new NetworkEvent.PeerBanned(peer, ban.reason(), ban.until()));
    onThread(() -> dialer.disconnectBanned(peer));
  }

  /** Bans {@code peer} for the configured default duration. */
  public void ban(PeerId peer, String reason) {
    ban(peer, config.defaultBan(), reason);
  }

  /**
   * Lifts a ban early; returns whether the peer was banned. If it was, publishes {@link
   * NetworkEvent.PeerUnbanned}.
   */
  public boolean unban(PeerId peer) {
    boolean lifted = bans.unban(peer);
    if (lifted) {
      LOG.info("ban of {} lifted", peer);
      host.publish(new NetworkEvent.PeerUnbanned(peer));
    }
    return lifted;
  }

  public boolean isBanned(PeerId peer) {
    return bans.isBanned(peer);
  }

  /** The anchors: outbound peers dialed first at the next start. */
  public List<PeerId> anchors() {
    return query(() -> anchors.list().stream().map(Anchors.Anchor::peer).toList());
  }

  /** A snapshot of the address book. */
  public List<AddressBookEntry> addressBook() {
    return query(book::entries);
  }

  public Metrics metrics() {
    return query(
        () -> {
          List<Connection> connections = host.connections();
          int outbound =
              (int) connections.stream().filter(c -> c.direction() == Direction.OUTBOUND).count();
          return new Metrics(
              book.newCount(),
              book.triedCount(),
              outbound,
              connections.size() - outbound,
              bans.size(),
              backoff.backingOffCount(),
              planner.dialsInFlight(),
              dialer.dialsFailed(),
              dialer.feelers(),
              dialer.rotations(),
              reportsDropped.get());
        });
  }

  /** The gater: called on Netty threads, so it reads only thread-safe state. */
  private Optional<String> deny(PeerId peer, Multiaddr address, Direction direction) {
    Optional<BanList.Ban> ban = bans.active(peer);
    if (ban.isPresent()) {
      return Optional.of("banned until " + ban.get().until() + ": " + ban.get().reason());
    }
    if (direction == Direction.INBOUND
        && host.connections().stream().filter(c -> c.direction() == Direction.INBOUND).count()
            >= config.maxInbound()) {
      return Optional.of("inbound limit (" + config.maxInbound() + ") reached");
    }
    return Optional.empty();
  }

  /** On the host's event thread: hands the event over to the manager's thread. */
  private void onEvent(NetworkEvent event) {
    if (event instanceof NetworkEvent.AddressesDiscovered discovered) {
      report(() -> discovered(discovered));
    } else if (event instanceof NetworkEvent.PeerIdentified identified) {
      report(() -> identified(identified));
    } else if (event instanceof NetworkEvent.PeerMisbehaved misbehaved) {
      report(() -> misbehaved(misbehaved));
    } else if (event instanceof NetworkEvent.PeerConnected connected) {
      // Connection events are paced by real handshakes and keep the planner's view exact: never
      // dropped.
      onThread(() -> dialer.connected(connected.peerId(), connected.connection()));
    } else if (event instanceof NetworkEvent.PeerDisconnected gone) {
      onThread(() -> dialer.disconnected(gone.peerId(), gone.connection()));
    }
  }

  /**
   * Hands a report a peer's messages can trigger (discoveries, identify, misbehaviour) to the
   * manager's thread; beyond {@link #MAX_QUEUED_REPORTS} waiting, it is dropped and counted, so a
   * peer sending faster than we digest cannot grow the queue.
   */
  private void report(Runnable task) {
    if (queuedReports.incrementAndGet() > MAX_QUEUED_REPORTS) {
      queuedReports.decrementAndGet();
      reportsDropped.incrementAndGet();
      return;
    }
    onThread(
        () -> {
          queuedReports.decrementAndGet();
          task.run();
        });
  }

  /**
   * Bans a peer at its {@link #MISBEHAVIOUR_LIMIT}th offence: one malformed message may be a bug or
   * a version mismatch, a pattern is not. Counts live in a bounded map (oldest offender forgotten
   * first) and are cleared by the ban.
   */
  private void misbehaved(NetworkEvent.PeerMisbehaved misbehaved) {
    PeerId peer = misbehaved.peerId();
    int count = offences.merge(peer, 1, Integer::sum);
    LOG.debug(
        "{} misbehaved on {} ({}): {}", peer, misbehaved.protocol(), count, misbehaved.reason());
    if (count >= MISBEHAVIOUR_LIMIT) {
      offences.remove(peer);
      ban(peer, misbehaved.protocol() + ": " + misbehaved.reason());
    }
  }

  private void discovered(NetworkEvent.AddressesDiscovered discovered) {
    Optional<Multiaddr> source =
        host.connection(discovered.peerId()).map(Connection::remoteAddress);
    for (PeerAddresses peer : discovered.peers()) {
      if (!peer.peerId().equals(host.peerId())) {
        book.add(peer, discovered.source(), source);
      }
    }
  }

  private void identified(NetworkEvent.PeerIdentified identified) {
    PeerId peer = identified.peerId();
    if (peer.equals(host.peerId()) || bans.isBanned(peer)) {
      return;
    }
    List<Multiaddr> dialable =
        identified.listenAddresses().stream()
            .filter(a -> a.toSocketAddress().isPresent())
            .map(Multiaddr::withoutP2p)
            .toList();
    Optional<Multiaddr> source = host.connection(peer).map(Connection::remoteAddress);
    book.add(
        new PeerAddresses(peer, dialable),
        io.meshwork.networking.core.DiscoverySource.IDENTIFY,
        source);
  }

  private void tick() {
    for (BanList.Ban ended : bans.expire()) {
      LOG.info("ban of {} ended", ended.peer());
      host.publish(new NetworkEvent.PeerUnbanned(ended.peer()));
    }
    backoff.prune();
    for (OutboundPlanner.Action action : planner.tick(clock.instant(), dialer.view())) {
      if (action instanceof OutboundPlanner.Action.Dial dial) {
        dialer.dial(dial);
      } else if (action instanceof OutboundPlanner.Action.Rotate rotate) {
        dialer.rotate(rotate.peer());
      }
    }
  }

  private void flush() {
    dialer.updateAnchors();
    book.flush(store);
    bans.flush(store);
    anchors.flush(store);
  }

  /** Flushes the address book, bans and anchors to the store and stops; the gater stays. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    subscription.close();
    try {
      executor.submit(guarded("final flush", this::flush)).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("peer manager could not flush at close: {}", e.toString());
    }
    executor.shutdownNow();
  }

  private void onThread(Runnable task) {
    try {
      executor.execute(guarded("task", task));
    } catch (RejectedExecutionException e) {
      LOG.debug("peer manager closed; dropping a task");
    }
  }

  private <T> T query(Supplier<T> question) {
    if (closed) {
      throw new IllegalStateException("peer manager is closed");
    }
    try {
      return executor.submit(question::get).get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("peer manager did not answer: " + e, e);
    }
  }

  /** A scheduled task that throws would never run again: log instead. */
  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("peer manager {} failed", what, e);
      }
    };
  }

  private static String shortId(PeerId peer) {
    String id = peer.toBase58();
    return id.substring(Math.max(0, id.length() - 6));
  }
}
