package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.peers.AddressGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The Kademlia routing table (kad-dht spec, "Kademlia routing table"): 256 {@link KBucket}s of up
 * to {@code k} peers, bucket {@code i} holding the peers at XOR distance {@code [2^i, 2^(i+1))}
 * from us. Indexing by distance directly is equivalent to the spec's lazily split table.
 *
 * <p>Sans-IO: it never talks to the network. {@link #offer} returns an {@link Insert} saying what
 * happened, including when the caller must check whether a peer is still alive ({@link
 * Insert.CheckLiveness}) and report back with {@link #livenessChecked}.
 *
 * <p>Diversity: a bucket admits at most {@link KadConfig#maxPeersPerGroupPerBucket()} and the table
 * at most {@link KadConfig#maxPeersPerGroupPerTable()} peers of one {@link AddressGroup}; zero
 * disables a limit (loopback testnets).
 *
 * <p>Not thread-safe: one thread (the DHT's) owns it.
 */
public final class RoutingTable {
  private final PeerId localPeer;
  private final KadKey localKey;
  private final KadConfig config;
  private final KBucket[] buckets = new KBucket[Distance.BITS];
  private final Map<AddressGroup, Integer> groupsInTable = new HashMap<>();
  private int size;

  public RoutingTable(PeerId localPeer, KadConfig config, long nowNanos) {
    this.localPeer = localPeer;
    this.localKey = KadKey.ofPeer(localPeer);
    this.config = config;
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new KBucket(config.k(), config.replacementCacheSize(), nowNanos);
    }
  }

  /** The outcome of {@link #offer}. */
  public sealed interface Insert {
    KadPeer peer();

    /** The peer was new and its bucket had room. */
    record Added(KadPeer peer) implements Insert {}

    /** The peer was known; its addresses were refreshed and it counts as just seen. */
    record Updated(KadPeer peer) implements Insert {}

    /**
     * The bucket is full: {@code peer} waits in the replacement cache, and the caller should check
     * {@code leastRecentlySeen} and report with {@link #livenessChecked}.
     */
    record CheckLiveness(KadPeer peer, KadPeer leastRecentlySeen) implements Insert {}

    /** The bucket is full and already being checked; the peer waits in the replacement cache. */
    record Cached(KadPeer peer) implements Insert {}

    /** The peer was refused (it is us, has no address, or breaks a diversity limit). */
    record Rejected(KadPeer peer, String reason) implements Insert {}
  }

  /** Offers a peer that speaks the DHT in server mode (only those belong in the table). */
  public Insert offer(KadPeer offered) {
    if (offered.id().equals(localPeer)) {
      return new Insert.Rejected(offered, "that is us");
    }
    KadPeer peer = trimAddresses(offered);
    if (peer.addresses().isEmpty()) {
      return new Insert.Rejected(peer, "no address");
    }
    KBucket bucket = bucketFor(peer.id());
    Optional<KadPeer> existing = bucket.get(peer.id());
    Optional<String> diversity = diversityViolation(bucket, peer, existing);
    if (diversity.isPresent()) {
      if (existing.isPresent()) {
        bucket.touch(peer.id()); // keep the old addresses, but it was seen
        return new Insert.Updated(existing.get());
      }
      return new Insert.Rejected(peer, diversity.get());
    }
    existing.ifPresent(this::forgetGroups);
    KBucket.Offer offer = bucket.offer(peer);
    return switch (offer) {
      case ADDED -> {
        size++;
        countGroups(peer);
        yield new Insert.Added(peer);
      }
      case UPDATED -> {
        countGroups(peer);
        yield new Insert.Updated(peer);
      }
      case CACHED_CHECK_REQUIRED ->
          new Insert.CheckLiveness(peer, bucket.get(bucket.pendingCheck().orElseThrow()).get());
      case CACHED -> new Insert.Cached(peer);
    };
  }

  /**
   * Reports a liveness check asked for by {@link Insert.CheckLiveness}. A live peer becomes the
   * most recently seen; a dead one is evicted and the newest fitting replacement takes its place.
   *
   * @return the replacement that was added, if any
   */
  public Optional<KadPeer> livenessChecked(PeerId peer, boolean alive) {
    if (peer.equals(localPeer)) {
      return Optional.empty();
    }
    KBucket bucket = bucketFor(peer);
    if (alive) {
      bucket.checkSucceeded(peer);
      return Optional.empty();
    }
    return remove(peer);
  }

  /** Marks a table peer as just seen (it answered a request). */
  public void seen(PeerId peer) {
    if (peer.equals(localPeer)) {
      return;
    }
    bucketFor(peer).touch(peer);
  }

  /**
   * Removes a peer (it failed to answer, or misbehaved); the newest replacement that passes the
   * diversity limits takes its place.
   *
   * @return the replacement that was added, if any
   */
  public Optional<KadPeer> remove(PeerId peer) {
    if (peer.equals(localPeer)) {
      return Optional.empty();
    }
    KBucket bucket = bucketFor(peer);
    Optional<KadPeer> removed = bucket.remove(peer);
    if (removed.isEmpty()) {
      return Optional.empty();
    }
    size--;
    forgetGroups(removed.get());
    Optional<KadPeer> replacement;
    while ((replacement = bucket.pollReplacement()).isPresent()) {
      KadPeer candidate = replacement.get();
      if (diversityViolation(bucket, candidate, Optional.empty()).isEmpty()
          && bucket.addIfRoom(candidate)) {
        size++;
        countGroups(candidate);
        return replacement;
      }
    }
    return Optional.empty();
  }

  /** The table entry for {@code peer}; never ourselves. */
  public Optional<KadPeer> find(PeerId peer) {
    return peer.equals(localPeer) ? Optional.empty() : bucketFor(peer).get(peer);
  }

  public boolean contains(PeerId peer) {
    return !peer.equals(localPeer) && bucketFor(peer).contains(peer);
  }

  /** Up to {@code count} table peers closest to {@code target}, closest first. */
  public List<KadPeer> closest(KadKey target, int count) {
    List<Candidate> all = new ArrayList<>(size);
    for (KBucket bucket : buckets) {
      for (KadPeer peer : bucket.peers()) {
        all.add(new Candidate(peer, peer.key().distanceTo(target)));
      }
    }
    all.sort(Comparator.comparing(Candidate::distance));
    return all.stream().limit(count).map(Candidate::peer).toList();
  }

  private record Candidate(KadPeer peer, Distance distance) {}

  public List<KadPeer> peers() {
    List<KadPeer> all = new ArrayList<>(size);
    for (KBucket bucket : buckets) {
      all.addAll(bucket.peers());
    }
    return List.copyOf(all);
  }

  public int size() {
    return size;
  }

  /**
   * Peers in bucket {@code index} (distance {@code [2^index, 2^(index+1))}), least recently seen
   * first.
   */
  public List<KadPeer> bucket(int index) {
    return buckets[index].peers();
  }

  public List<KadPeer> replacements(int index) {
    return buckets[index].replacementPeers();
  }

  public int bucketIndexOf(PeerId peer) {
    return KadKey.ofPeer(peer).distanceTo(localKey).bucketIndex();
  }

  public PeerId localPeer() {
    return localPeer;
  }

  public KadKey localKey() {
    return localKey;
  }

  /** A lookup for {@code target} just ran: the bucket it falls in counts as refreshed. */
  public void lookupStarted(KadKey target, long nowNanos) {
    int index = target.distanceTo(localKey).bucketIndex();
    if (index >= 0) {
      buckets[index].markRefreshed(nowNanos);
    }
  }

  /**
   * Common prefix lengths (cpl {@code c} is bucket {@code 255 - c}) of the buckets that need a
   * refresh lookup: not looked into for {@link KadConfig#refreshInterval()}, from cpl 0 up to the
   * deepest non-empty bucket but at most {@link KadConfig#maxRefreshCpl()}.
   */
  public List<Integer> cplsDueForRefresh(long nowNanos) {
    int deepest = 0;
    for (int cpl = 0; cpl < Distance.BITS; cpl++) {
      if (buckets[Distance.BITS - 1 - cpl].size() > 0) {
        deepest = cpl;
      }
    }
    List<Integer> due = new ArrayList<>();
    long interval = config.refreshInterval().toNanos();
    for (int cpl = 0; cpl <= Math.min(deepest, config.maxRefreshCpl()); cpl++) {
      if (nowNanos - buckets[Distance.BITS - 1 - cpl].lastRefreshedNanos() >= interval) {
        due.add(cpl);
      }
    }
    return List.copyOf(due);
  }

  /**
   * A random sha2-256 peer id (multihash bytes) whose key shares exactly {@code cpl} leading bits
   * with ours: the FIND_NODE target that refreshes that bucket. Found by trial, 2^(cpl+1) hashes on
   * average, hence the {@link KadConfig#maxRefreshCpl()} cap.
   */
  public byte[] randomPeerIdWithCpl(int cpl, Random random) {
    if (cpl < 0 || cpl > config.maxRefreshCpl()) {
      throw new IllegalArgumentException("cpl must be in [0, " + config.maxRefreshCpl() + "]");
    }
    byte[] candidate = new byte[34];
    candidate[0] = 0x12;
    candidate[1] = 0x20;
    byte[] digest = new byte[32];
    while (true) {
      random.nextBytes(digest);
      System.arraycopy(digest, 0, candidate, 2, 32);
      if (KadKey.of(candidate).distanceTo(localKey).leadingZeros() == cpl) {
        return candidate.clone();
      }
    }
  }

  private KBucket bucketFor(PeerId peer) {
    int index = bucketIndexOf(peer);
    if (index < 0) {
      throw new IllegalArgumentException("our own id has no bucket");
    }
    return buckets[index];
  }

  private KadPeer trimAddresses(KadPeer peer) {
    return peer.addresses().size() <= config.maxAddressesPerPeer()
        ? peer
        : peer.withAddresses(peer.addresses().subList(0, config.maxAddressesPerPeer()));
  }

  private Optional<String> diversityViolation(
      KBucket bucket, KadPeer peer, Optional<KadPeer> existing) {
    int perBucket = config.maxPeersPerGroupPerBucket();
    int perTable = config.maxPeersPerGroupPerTable();
    if (perBucket == 0 && perTable == 0) {
      return Optional.empty();
    }
    Set<AddressGroup> old = existing.map(p -> AddressGroup.of(p.addresses())).orElse(Set.of());
    for (AddressGroup group : AddressGroup.of(peer.addresses())) {
      int self = old.contains(group) ? 1 : 0;
      if (perTable > 0 && groupsInTable.getOrDefault(group, 0) - self >= perTable) {
        return Optional.of("too many peers from " + group + " in the table");
      }
      if (perBucket > 0) {
        long inBucket =
            bucket.peers().stream()
                .filter(p -> AddressGroup.of(p.addresses()).contains(group))
                .count();
        if (inBucket - self >= perBucket) {
          return Optional.of("too many peers from " + group + " in one bucket");
        }
      }
    }
    return Optional.empty();
  }

  private void countGroups(KadPeer peer) {
    for (AddressGroup group : AddressGroup.of(peer.addresses())) {
      groupsInTable.merge(group, 1, Integer::sum);
    }
  }

  private void forgetGroups(KadPeer peer) {
    for (AddressGroup group : AddressGroup.of(peer.addresses())) {
      groupsInTable.computeIfPresent(group, (g, n) -> n <= 1 ? null : n - 1);
    }
  }
}
