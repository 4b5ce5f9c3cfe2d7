package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One iterative Kademlia lookup (kad-dht spec, "Peer routing" and "Getting values") as a sans-IO
 * state machine: it never sends, sleeps or reads a clock. The driver
 *
 * <ol>
 *   <li>calls {@link #poll(long)} with the current time and sends a request (FIND_NODE, GET_VALUE
 *       or GET_PROVIDERS for {@link #key()}) to every peer in {@link Step#send()};
 *   <li>reports each answer with {@link #onResponse} and each error with {@link #onFailure};
 *   <li>polls again after any report or at {@link #nextDeadlineNanos()}, until {@link
 *       Step#finished()}; then reads {@link #result()} and drops outstanding requests.
 * </ol>
 *
 * <p>At most α requests are in flight. Candidates are taken closest first, and only from the k
 * closest peers not known to have failed; the lookup converges when those k have all answered. A
 * peer that does not answer within {@link KadConfig#requestTimeout()} is failed and reported in
 * {@link Step#timedOut()} so the driver can penalise it (drop it from the routing table); a late
 * answer is ignored. A request unanswered after {@link KadConfig#stallTimeout()} stops holding an α
 * slot, so silent peers slow a lookup down by the stall time, not the request timeout. The whole
 * lookup stops at {@link KadConfig#queryTimeout()}.
 *
 * <p>Lying peers: each response contributes at most k peers and the lookup remembers at most {@link
 * KadConfig#maxTrackedPeersPerQuery()}, dropping the farthest. A peer whose referrals fail or time
 * out {@value #MAX_FAILED_REFERRALS} times, and more often than they answer, is distrusted: the
 * peers only it told us about are dropped, and it is reported in {@link Step#distrusted()} for the
 * driver to penalise.
 *
 * <p>Not thread-safe: driven by one thread.
 */
public final class LookupQuery {

  /** The request a lookup sends. */
  public enum Kind {
    FIND_NODE,
    GET_VALUE,
    GET_PROVIDERS
  }

  /** Send a request for {@link #key()} to {@code peer}; {@code round} is its hop (seeds are 1). */
  public record Request(KadPeer peer, int round) {}

  /**
   * What to do now.
   *
   * @param send requests to send
   * @param timedOut peers whose request just timed out (penalise them)
   * @param distrusted peers whose referrals kept failing (penalise them)
   * @param finished whether the lookup is over ({@link #result()} is present)
   */
  public record Step(
      List<Request> send, List<PeerId> timedOut, List<PeerId> distrusted, boolean finished) {
    public Step {
      send = List.copyOf(send);
      timedOut = List.copyOf(timedOut);
      distrusted = List.copyOf(distrusted);
    }
  }

  /** Failed referrals after which the referring peer is distrusted. */
  public static final int MAX_FAILED_REFERRALS = 3;

  private enum State {
    CANDIDATE,
    WAITING,
    SUCCEEDED,
    FAILED
  }

  private static final class Entry {
    final KadPeer peer;
    final Distance distance;
    final PeerId referrer; // who first told us about it; null for seeds
    int round;
    int vouchers = 1; // how many peers told us about it
    State state = State.CANDIDATE;
    boolean stalled;
    long sentAtNanos;

    Entry(KadPeer peer, Distance distance, int round, PeerId referrer) {
      this.peer = peer;
      this.distance = distance;
      this.round = round;
      this.referrer = referrer;
    }
  }

  private final Kind kind;
  private final byte[] key;
  private final KadKey target;
  private final PeerId localPeer;
  private final KadConfig config;
  private final long startNanos;
  private final Optional<PeerId> wantedPeer;
  private final Optional<RecordValidator> validator;
  private final int wantedProviders;

  private final TreeMap<Distance, Entry> byDistance = new TreeMap<>();
  private final Map<PeerId, Entry> byPeer = new HashMap<>();
  private final Map<PeerId, Integer> failedReferrals = new HashMap<>();
  private final Map<PeerId, Integer> answeredReferrals = new HashMap<>();
  private final List<PeerId> newlyDistrusted = new ArrayList<>();
  private final java.util.Set<PeerId> distrusted = new java.util.HashSet<>();
  private int inFlight;
  private int requestsSent;
  private int failures;

  private KadPeer found;
  private final List<byte[]> values = new ArrayList<>();
  private final List<PeerId> valuePeers = new ArrayList<>();
  private final Map<PeerId, KadPeer> providers = new LinkedHashMap<>();
  private int satisfiedRound;
  private LookupResult result;

  private LookupQuery(
      Kind kind,
      byte[] key,
      PeerId localPeer,
      List<KadPeer> seeds,
      KadConfig config,
      long nowNanos,
      Optional<PeerId> wantedPeer,
      Optional<RecordValidator> validator,
      int wantedProviders) {
    this.kind = kind;
    this.key = key.clone();
    this.target = KadKey.of(key);
    this.localPeer = localPeer;
    this.config = config;
    this.startNanos = nowNanos;
    this.wantedPeer = wantedPeer;
    this.validator = validator;
    this.wantedProviders = wantedProviders;
    for (KadPeer seed : seeds) {
      if (wantedPeer.isPresent() && seed.id().equals(wantedPeer.get())) {
        found = seed;
        finish(LookupResult.Termination.SATISFIED, nowNanos);
        return;
      }
      track(seed, 1, null);
    }
  }

  /** Finds the k closest peers to {@code key} (a peer id, or any key for a refresh). */
  public static LookupQuery findNode(
      byte[] key, PeerId localPeer, List<KadPeer> seeds, KadConfig config, long nowNanos) {
    return new LookupQuery(
        Kind.FIND_NODE,
        key,
        localPeer,
        seeds,
        config,
        nowNanos,
        Optional.empty(),
        Optional.empty(),
        0);
  }

  /** Finds {@code peer}'s addresses; stops as soon as some peer tells us them. */
  public static LookupQuery findPeer(
      PeerId peer, PeerId localPeer, List<KadPeer> seeds, KadConfig config, long nowNanos) {
    return new LookupQuery(
        Kind.FIND_NODE,
        peer.toBytes(),
        localPeer,
        seeds,
        config,
        nowNanos,
        Optional.of(peer),
        Optional.empty(),
        0);
  }

  /** Finds the best record for {@code key}; stops after {@link KadConfig#quorum()} valid ones. */
  public static LookupQuery getValue(
      byte[] key,
      RecordValidator validator,
      PeerId localPeer,
      List<KadPeer> seeds,
      KadConfig config,
      long nowNanos) {
    return new LookupQuery(
        Kind.GET_VALUE,
        key,
        localPeer,
        seeds,
        config,
        nowNanos,
        Optional.empty(),
        Optional.of(validator),
        0);
  }

  /** Finds providers of {@code key}; stops once {@code wanted} distinct providers are known. */
  public static LookupQuery getProviders(
      byte[] key,
      int wanted,
      PeerId localPeer,
      List<KadPeer> seeds,
      KadConfig config,
      long nowNanos) {
    if (wanted <= 0) {
      throw new IllegalArgumentException("wanted providers must be positive");
    }
    return new LookupQuery(
        Kind.GET_PROVIDERS,
        key,
        localPeer,
        seeds,
        config,
        nowNanos,
        Optional.empty(),
        Optional.empty(),
        wanted);
  }

  public Kind kind() {
    return kind;
  }

  /** The key the requests carry. */
  public byte[] key() {
    return key.clone();
  }

  public KadKey target() {
    return target;
  }

  public boolean isFinished() {
    return result != null;
  }

  public Optional<LookupResult> result() {
    return Optional.ofNullable(result);
  }

  /** Times out late requests, then says which requests to send (up to α in flight). */
  public Step poll(long nowNanos) {
    if (result != null) {
      return new Step(List.of(), List.of(), List.of(), true);
    }
    List<PeerId> timedOut = new ArrayList<>();
    long requestTimeout = config.requestTimeout().toNanos();
    long stallTimeout = config.stallTimeout().toNanos();
    for (Entry entry : List.copyOf(byDistance.values())) {
      if (entry.state != State.WAITING) {
        continue;
      }
      if (nowNanos - entry.sentAtNanos >= requestTimeout) {
        fail(entry);
        timedOut.add(entry.peer.id());
      } else if (!entry.stalled && nowNanos - entry.sentAtNanos >= stallTimeout) {
        entry.stalled = true;
        inFlight--;
      }
    }
    List<PeerId> distrusted = List.copyOf(newlyDistrusted);
    newlyDistrusted.clear();
    if (nowNanos - startNanos >= config.queryTimeout().toNanos()) {
      finish(LookupResult.Termination.TIMED_OUT, nowNanos);
      return new Step(List.of(), timedOut, distrusted, true);
    }
    List<Request> send = new ArrayList<>();
    int considered = 0;
    boolean allAnswered = true;
    for (Entry entry : byDistance.values()) {
      if (entry.state == State.FAILED) {
        continue;
      }
      if (considered++ == config.k()) {
        break;
      }
      if (entry.state != State.SUCCEEDED) {
        allAnswered = false;
      }
      if (entry.state == State.CANDIDATE && inFlight < config.alpha()) {
        entry.state = State.WAITING;
        entry.sentAtNanos = nowNanos;
        inFlight++;
        requestsSent++;
        send.add(new Request(entry.peer, entry.round));
      }
    }
    if (allAnswered) {
      boolean anyAnswered = byDistance.values().stream().anyMatch(e -> e.state == State.SUCCEEDED);
      finish(
          anyAnswered ? LookupResult.Termination.CONVERGED : LookupResult.Termination.STARVED,
          nowNanos);
      return new Step(List.of(), timedOut, distrusted, true);
    }
    return new Step(send, timedOut, distrusted, false);
  }

  /** When the driver must poll again even if nothing arrives; empty once finished. */
  public Optional<Long> nextDeadlineNanos() {
    if (result != null) {
      return Optional.empty();
    }
    long deadline = startNanos + config.queryTimeout().toNanos();
    long requestTimeout = config.requestTimeout().toNanos();
    long stallTimeout = config.stallTimeout().toNanos();
    for (Entry entry : byDistance.values()) {
      if (entry.state == State.WAITING) {
        long timeout = entry.stalled ? requestTimeout : Math.min(stallTimeout, requestTimeout);
        deadline = Math.min(deadline, entry.sentAtNanos + timeout);
      }
    }
    return Optional.of(deadline);
  }

  /**
   * {@code from} answered. Its closer peers become candidates (at most k of them, never us); a
   * value is validated; providers are collected. A stalled peer's answer still counts; answers from
   * peers we are not waiting for (timed out, or never asked) are ignored.
   */
  public void onResponse(PeerId from, LookupResponse response, long nowNanos) {
    Entry entry = byPeer.get(from);
    if (result != null || entry == null || entry.state != State.WAITING) {
      return;
    }
    entry.state = State.SUCCEEDED;
    if (entry.referrer != null) {
      answeredReferrals.merge(entry.referrer, 1, Integer::sum);
    }
    if (!entry.stalled) {
      inFlight--;
    }
    int added = 0;
    for (KadPeer closer : response.closerPeers()) {
      if (added++ == config.k()) {
        break;
      }
      if (wantedPeer.isPresent()
          && closer.id().equals(wantedPeer.get())
          && !closer.addresses().isEmpty()) {
        found = closer;
        satisfiedRound = entry.round;
        finish(LookupResult.Termination.SATISFIED, nowNanos);
        return;
      }
      track(closer, entry.round + 1, from);
    }
    if (kind == Kind.GET_VALUE && response.value().isPresent()) {
      acceptValue(from, response.value().get(), entry.round, nowNanos);
    }
    if (kind == Kind.GET_PROVIDERS) {
      for (KadPeer provider : response.providers()) {
        if (providers.size() >= wantedProviders) {
          break;
        }
        providers.putIfAbsent(provider.id(), provider);
      }
      if (providers.size() >= wantedProviders) {
        satisfiedRound = entry.round;
        finish(LookupResult.Termination.SATISFIED, nowNanos);
      }
    }
  }

  /** The request to {@code from} failed (dial error, reset, malformed reply). */
  public void onFailure(PeerId from, long nowNanos) {
    Entry entry = byPeer.get(from);
    if (result == null && entry != null && entry.state == State.WAITING) {
      fail(entry);
    }
  }

  private void acceptValue(PeerId from, byte[] value, int round, long nowNanos) {
    try {
      validator.orElseThrow().validate(key, value);
    } catch (InvalidRecordException e) {
      return; // an invalid record counts for nothing; the closer peers still help
    }
    values.add(value.clone());
    valuePeers.add(from);
    if (values.size() >= config.quorum()) {
      satisfiedRound = round;
      finish(LookupResult.Termination.SATISFIED, nowNanos);
    }
  }

  private void fail(Entry entry) {
    entry.state = State.FAILED;
    failures++;
    if (!entry.stalled) {
      inFlight--;
    }
    // Only real failures count against the referrer: a stall may just be a slow first dial.
    referralFailed(entry);
  }

  /**
   * A peer someone referred us to stalled or failed. Honest peers' referrals fail now and then
   * (peers go offline); a peer whose referrals keep failing is feeding us made-up peers, so the
   * candidates only it vouched for are dropped (S/Kademlia's concern, handled per lookup).
   */
  private void referralFailed(Entry entry) {
    if (entry.referrer == null || entry.vouchers > 1) {
      return;
    }
    int failed = failedReferrals.merge(entry.referrer, 1, Integer::sum);
    if (failed < MAX_FAILED_REFERRALS
        || failed <= answeredReferrals.getOrDefault(entry.referrer, 0)
        || distrusted.contains(entry.referrer)) {
      return;
    }
    distrusted.add(entry.referrer);
    newlyDistrusted.add(entry.referrer);
    for (Iterator<Entry> it = byDistance.values().iterator(); it.hasNext(); ) {
      Entry other = it.next();
      if (other.state == State.CANDIDATE
          && other.vouchers == 1
          && entry.referrer.equals(other.referrer)) {
        it.remove();
        byPeer.remove(other.peer.id());
      }
    }
  }

  private void track(KadPeer peer, int round, PeerId referrer) {
    if (peer.id().equals(localPeer)) {
      return;
    }
    if (referrer != null && distrusted.contains(referrer)) {
      return;
    }
    Entry known = byPeer.get(peer.id());
    if (known != null) {
      if (referrer != null && !referrer.equals(known.referrer)) {
        known.vouchers++;
      }
      if (known.state == State.CANDIDATE && round < known.round) {
        known.round = round;
      }
      return;
    }
    if (peer.addresses().isEmpty()) {
      return; // nothing to dial
    }
    Entry entry = new Entry(peer, peer.key().distanceTo(target), round, referrer);
    byDistance.put(entry.distance, entry);
    byPeer.put(peer.id(), entry);
    if (byDistance.size() > config.maxTrackedPeersPerQuery()) {
      dropFarthestIdle();
    }
  }

  private void dropFarthestIdle() {
    Iterator<Entry> farthestFirst = byDistance.descendingMap().values().iterator();
    while (farthestFirst.hasNext()) {
      Entry entry = farthestFirst.next();
      if (entry.state == State.CANDIDATE || entry.state == State.FAILED) {
        farthestFirst.remove();
        byPeer.remove(entry.peer.id());
        return;
      }
    }
  }

  private void finish(LookupResult.Termination termination, long nowNanos) {
    List<KadPeer> closest = new ArrayList<>();
    int deepest = 0;
    for (Entry entry : byDistance.values()) {
      if (closest.size() == config.k()) {
        break;
      }
      if (entry.state == State.SUCCEEDED) {
        closest.add(entry.peer);
        deepest = Math.max(deepest, entry.round);
      }
    }
    Optional<byte[]> best = Optional.empty();
    List<PeerId> outdated = new ArrayList<>();
    if (!values.isEmpty()) {
      int index = validator.orElseThrow().select(key, List.copyOf(values));
      byte[] winner = values.get(index);
      best = Optional.of(winner.clone());
      for (int i = 0; i < values.size(); i++) {
        if (!Arrays.equals(values.get(i), winner)) {
          outdated.add(valuePeers.get(i));
        }
      }
    }
    int rounds = termination == LookupResult.Termination.SATISFIED ? satisfiedRound : deepest;
    result =
        new LookupResult(
            kind,
            termination,
            closest,
            Optional.ofNullable(found),
            best,
            outdated,
            List.copyOf(providers.values()),
            rounds,
            requestsSent,
            failures,
            Duration.ofNanos(nowNanos - startNanos));
  }
}
