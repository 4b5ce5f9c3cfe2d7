package io.meshwork.networking.peers;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peers we may dial, in Bitcoin Core addrman's two tables, so that an attacker who floods us with
 * addresses cannot crowd out the honest ones (Heilman et al., "Eclipse Attacks on Bitcoin's
 * Peer-to-Peer Network", 2015, and addrman's {@code addrman_impl.h}).
 *
 * <ul>
 *   <li>The <b>new</b> table holds peers we heard of. An entry's bucket is chosen by a keyed hash
 *       of the group of whoever told us (the source group) and a hash of its own group, so one
 *       source group reaches at most {@link AddressBookConfig#newBucketsPerSourceGroup()} buckets.
 *       Its slot in the bucket is a keyed hash of the peer id. A taken slot is given up only by a
 *       "terrible" entry (not seen within the horizon, or failing without success); otherwise the
 *       newcomer is dropped. So a flood fills its own buckets and nothing else.
 *   <li>The <b>tried</b> table holds peers we connected to ({@link #good}). Its bucket is a keyed
 *       hash of the peer's group and of the peer id, so one group reaches at most {@link
 *       AddressBookConfig#triedBucketsPerGroup()} buckets. A collision sends the incumbent back to
 *       the new table (addrman before 0.22; we do not test-before-evict: the peer manager's feelers
 *       and anchors already keep working peers in use).
 * </ul>
 *
 * <p>Unlike addrman, entries are keyed by libp2p {@link PeerId} and hold up to {@link
 * AddressBookConfig#maxAddressesPerPeer()} multiaddrs; the first decides the entry's group. Each
 * entry is in exactly one slot of one table (addrman lets a new entry sit in up to 8 new buckets;
 * one is simpler to reason about and keeps the eclipse bound the same).
 *
 * <p>Hashes use a 32-byte secret, created once per node and persisted, so an attacker cannot
 * predict which addresses collide. {@link #load} re-buckets stored entries with it; {@link #flush}
 * writes the entries changed since the last flush in one atomic batch.
 *
 * <p>Not thread-safe: one thread (the peer manager's) owns the book.
 */
public final class AddressBook {
  private static final Logger LOG = LoggerFactory.getLogger(AddressBook.class);

  /** An entry dialled this recently is never terrible (addrman: 1 minute). */
  static final Duration RECENT_ATTEMPT = Duration.ofMinutes(1);

  /** An entry claimed to be seen further in the future than this is terrible (addrman: 10 min). */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(10);

  /** Failed dials after which a never-successful entry is terrible (addrman's ADDRMAN_RETRIES). */
  static final int RETRIES_WITHOUT_SUCCESS = 3;

  /** A failing entry is terrible only if it last worked longer ago (addrman's ADDRMAN_MIN_FAIL). */
  static final Duration MIN_FAIL = Duration.ofDays(7);

  /** Re-announcements refresh "last seen" at most this often, to keep flushes small. */
  static final Duration SEEN_REFRESH = Duration.ofMinutes(20);

  /** A dial this recent makes an entry 100 times less likely to be selected (addrman: 10 min). */
  static final Duration RECENT_TRY = Duration.ofMinutes(10);

  /** Random probes {@link #select} makes before it falls back to a full scan. */
  static final int SELECT_PROBES = 1024;

  private final AddressBookConfig config;
  private final byte[] secret;
  private final Clock clock;
  private final RandomGenerator random;
  private final BucketHasher hasher;
  private final Map<PeerId, AddressInfo> entries = new LinkedHashMap<>();
  private final BucketTable newTable;
  private final BucketTable triedTable;
  private final Set<PeerId> dirty = new LinkedHashSet<>();
  private final Set<PeerId> removed = new LinkedHashSet<>();
  private final List<byte[]> staleKeys = new ArrayList<>();
  private boolean secretStored;

  /**
   * An empty book.
   *
   * @param secret32 the bucketing secret (32 bytes); keep it across restarts, or use {@link #load}
   * @param clock wall-clock time: "last seen" and the horizon survive restarts
   * @param random drives {@link #select}; tests pass a seeded one
   */
  public AddressBook(
      AddressBookConfig config, byte[] secret32, Clock clock, RandomGenerator random) {
    this.config = Objects.requireNonNull(config);
    this.secret = secret32.clone();
    this.clock = Objects.requireNonNull(clock);
    this.random = Objects.requireNonNull(random);
    this.hasher = new BucketHasher(secret, config);
    this.newTable = new BucketTable(config.newBuckets(), config.bucketSize());
    this.triedTable = new BucketTable(config.triedBuckets(), config.bucketSize());
  }

  /**
   * The book stored in {@code store}: its secret (created from a {@link SecureRandom} and stored if
   * absent) and every entry, re-bucketed with that secret. Tried entries are placed first; an entry
   * whose slot is taken is demoted (tried to new) or dropped, as when it was added. Values that
   * cannot be decoded are skipped, logged and deleted at the next {@link #flush}.
   */
  public static AddressBook load(
      PeerDataStore store, AddressBookConfig config, Clock clock, RandomGenerator random) {
    Optional<byte[]> stored = store.get(PeerDataStore.SECRET_KEY).filter(s -> s.length == 32);
    byte[] secret;
    if (stored.isPresent()) {
      secret = stored.get();
    } else {
      // The secret must be unpredictable even when tests or callers pass a seeded generator.
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      store.write(new PeerDataStore.Batch().put(PeerDataStore.SECRET_KEY, secret));
    }
    AddressBook book = new AddressBook(config, secret, clock, random);
    book.secretStored = true;
    List<AddressInfo> tried = new ArrayList<>();
    List<AddressInfo> fresh = new ArrayList<>();
    store.forEachWithPrefix(
        PeerDataStore.ADDRESS_PREFIX,
        (key, value) -> {
          try {
            AddressInfo info = AddressBookCodec.decode(key, value, config);
            (info.tried ? tried : fresh).add(info);
          } catch (AddressBookCodec.CorruptEntryException e) {
            LOG.warn("skipping unreadable address book entry: {}", e.getMessage());
            book.staleKeys.add(key);
          }
        });
    Instant now = clock.instant();
    Set<PeerId> demoted = new LinkedHashSet<>();
    for (AddressInfo info : tried) {
      if (!book.placeInTried(info)) {
        demoted.add(info.peerId);
        book.placeOrDrop(info, now);
      }
    }
    for (AddressInfo info : fresh) {
      book.placeOrDrop(info, now);
    }
    // What was just read back is already stored; only demotions (and drops) need writing.
    book.dirty.clear();
    demoted.stream().filter(book.entries::containsKey).forEach(book.dirty::add);
    LOG.info(
        "address book loaded: {} new, {} tried, {} unreadable",
        book.newCount(),
        book.triedCount(),
        book.staleKeys.size());
    return book;
  }

  private void placeOrDrop(AddressInfo info, Instant now) {
    if (!placeInNew(info, now, false)) {
      removed.add(info.peerId);
    }
  }

  /**
   * Puts the peer in the new table, bucketed by (source group, address group) with the secret; a
   * peer already in the book gets its addresses merged (up to the maximum, known ones first) and
   * its "last seen" refreshed. At most {@link AddressBookConfig#maxAddressesPerPeer()} addresses
   * are taken, {@code /p2p} suffixes stripped.
   *
   * @param sourceAddress the address of the peer that told us; empty when the peer reported itself
   *     (identify) or the operator configured it (bootstrap): then the peer's own group is the
   *     source group
   * @return whether the book changed: the peer was added or got new addresses; false if it had no
   *     addresses or its slot is held by an entry that is not terrible
   */
  public boolean add(PeerAddresses peer, DiscoverySource how, Optional<Multiaddr> sourceAddress) {
    Objects.requireNonNull(how);
    List<Multiaddr> addresses = normalize(peer.addresses());
    if (addresses.isEmpty()) {
      return false;
    }
    Instant now = clock.instant();
    AddressInfo known = entries.get(peer.peerId());
    if (known != null) {
      boolean changed = known.merge(addresses, config.maxAddressesPerPeer());
      if (changed || known.lastSeen.plus(SEEN_REFRESH).isBefore(now)) {
        known.lastSeen = max(known.lastSeen, now);
        dirty.add(known.peerId);
      }
      return changed;
    }
    AddressGroup group = config.grouping().groupOf(addresses.get(0));
    Optional<Multiaddr> source = sourceAddress.map(Multiaddr::withoutP2p);
    AddressGroup sourceGroup = source.map(config.grouping()::groupOf).orElse(group);
    return placeInNew(
        new AddressInfo(peer.peerId(), addresses, group, source, sourceGroup, how, now),
        now,
        false);
  }

  /**
   * A dial to {@code peer} starts now. Each dial counts once as a failure until {@link #good}
   * clears the count: {@code attempt} then {@link #failed} is one failure, and so is an attempt
   * whose outcome was never reported once the next attempt starts. Unknown peers are ignored.
   */
  public void attempt(PeerId peer) {
    AddressInfo info = entries.get(peer);
    if (info == null) {
      return;
    }
    if (info.attemptPending) {
      info.failures++;
    }
    info.attemptPending = true;
    info.lastAttempt = Optional.of(clock.instant());
    dirty.add(peer);
  }

  /**
   * An outbound connection to {@code peer} worked: failures reset, and the entry moves to the tried
   * table. If its tried slot is taken, the incumbent goes back to the new table, into the slot its
   * own source group gives it (whatever held that slot is removed), as addrman's {@code MakeTried}.
   * Unknown peers are ignored: add them first.
   */
  public void good(PeerId peer) {
    AddressInfo info = entries.get(peer);
    if (info == null) {
      return;
    }
    Instant now = clock.instant();
    info.lastSuccess = Optional.of(now);
    info.lastAttempt = Optional.of(now);
    info.lastSeen = max(info.lastSeen, now);
    info.failures = 0;
    info.attemptPending = false;
    dirty.add(peer);
    if (info.tried) {
      return;
    }
    newTable.clear(info.bucket, info.position, peer);
    int bucket = hasher.triedBucket(peer, info.group);
    int position = hasher.triedPosition(bucket, peer);
    Optional<PeerId> incumbent = triedTable.get(bucket, position);
    if (incumbent.isPresent()) {
      AddressInfo evicted = entries.get(incumbent.get());
      triedTable.clear(bucket, position, evicted.peerId);
      placeInNew(evicted, now, true);
    }
    info.tried = true;
    info.bucket = bucket;
    info.position = position;
    triedTable.put(bucket, position, peer);
  }

  /** A dial to {@code peer} failed: one more failure (see {@link #attempt}). */
  public void failed(PeerId peer) {
    AddressInfo info = entries.get(peer);
    if (info == null) {
      return;
    }
    info.failures++;
    info.attemptPending = false;
    if (info.lastAttempt.isEmpty()) {
      info.lastAttempt = Optional.of(clock.instant());
    }
    dirty.add(peer);
  }

  /**
   * A random peer to dial, addrman's {@code Select}: the new or the tried table with even odds
   * (only new if {@code newOnly}, as for feelers; the other if one is empty), then a random bucket
   * and slot; an entry {@code accept}s is taken with its {@link #chance}, each refusal making the
   * next entry likelier to be taken. After {@link #SELECT_PROBES} probes (a sparse book, or one
   * where {@code accept} rejects almost everything) it picks among all acceptable entries weighted
   * by chance, so it always terminates.
   *
   * @param accept rejects entries the caller cannot use (connected, banned, backing off, group in
   *     use); may be called many times per selection
   * @return empty if no entry is acceptable
   */
  public Optional<AddressBookEntry> select(boolean newOnly, Predicate<AddressBookEntry> accept) {
    if (entries.isEmpty() || (newOnly && newTable.count() == 0)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    double factor = 1.0;
    for (int probe = 0; probe < SELECT_PROBES; probe++) {
      boolean useTried =
          !newOnly && triedTable.count() > 0 && (newTable.count() == 0 || random.nextBoolean());
      BucketTable table = useTried ? triedTable : newTable;
      Optional<PeerId> found = firstInBucket(table, random.nextInt(table.buckets()));
      if (found.isEmpty()) {
        continue;
      }
      AddressInfo info = entries.get(found.get());
      AddressBookEntry entry = info.snapshot();
      if (!accept.test(entry)) {
        continue;
      }
      if (random.nextDouble() < factor * chance(info, now)) {
        return Optional.of(entry);
      }
      factor *= 1.2;
    }
    return weightedFallback(newOnly, accept, now);
  }

  /** Scans {@code bucket} from a random slot, wrapping around, as addrman does. */
  private Optional<PeerId> firstInBucket(BucketTable table, int bucket) {
    int size = table.bucketSize();
    int start = random.nextInt(size);
    for (int i = 0; i < size; i++) {
      Optional<PeerId> peer = table.get(bucket, (start + i) % size);
      if (peer.isPresent()) {
        return peer;
      }
    }
    return Optional.empty();
  }

  private Optional<AddressBookEntry> weightedFallback(
      boolean newOnly, Predicate<AddressBookEntry> accept, Instant now) {
    List<AddressBookEntry> candidates = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    double total = 0;
    for (AddressInfo info : entries.values()) {
      if (newOnly && info.tried) {
        continue;
      }
      AddressBookEntry entry = info.snapshot();
      if (accept.test(entry)) {
        double weight = chance(info, now);
        candidates.add(entry);
        weights.add(weight);
        total += weight;
      }
    }
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    double pick = random.nextDouble() * total;
    for (int i = 0; i < candidates.size(); i++) {
      pick -= weights.get(i);
      if (pick < 0) {
        return Optional.of(candidates.get(i));
      }
    }
    return Optional.of(candidates.get(candidates.size() - 1));
  }

  /**
   * Addrman's {@code GetChance}: the relative odds of selecting an entry, 1 for a fresh one, times
   * 0.01 if dialled in the last {@link #RECENT_TRY}, times 0.66 per failure (at most 8).
   */
  double chance(AddressInfo info, Instant now) {
    double chance = 1.0;
    if (info.lastAttempt.isPresent() && info.lastAttempt.get().plus(RECENT_TRY).isAfter(now)) {
      chance *= 0.01;
    }
    return chance * Math.pow(0.66, Math.min(info.failures, 8));
  }

  /**
   * Addrman's {@code IsTerrible}: an entry another may take the slot of. Never one dialled in the
   * last minute; otherwise one seen "in the future", not seen within the horizon, never successful
   * after {@link #RETRIES_WITHOUT_SUCCESS} failures, or with {@code maxFailures} failures and no
   * success for {@link #MIN_FAIL}.
   */
  boolean isTerrible(AddressInfo info, Instant now) {
    if (info.lastAttempt.isPresent() && info.lastAttempt.get().plus(RECENT_ATTEMPT).isAfter(now)) {
      return false;
    }
    if (info.lastSeen.isAfter(now.plus(FUTURE_TOLERANCE))) {
      return true;
    }
    if (info.lastSeen.plus(config.horizon()).isBefore(now)) {
      return true;
    }
    if (info.lastSuccess.isEmpty()
        && info.failures >= Math.min(RETRIES_WITHOUT_SUCCESS, config.maxFailures())) {
      return true;
    }
    return info.failures >= config.maxFailures()
        && (info.lastSuccess.isEmpty() || info.lastSuccess.get().plus(MIN_FAIL).isBefore(now));
  }

  public Optional<AddressBookEntry> get(PeerId peer) {
    return Optional.ofNullable(entries.get(peer)).map(AddressInfo::snapshot);
  }

  /** Forgets {@code peer} (e.g. banned, or its id turned out wrong); deleted at the next flush. */
  public void remove(PeerId peer) {
    AddressInfo info = entries.get(peer);
    if (info != null) {
      delete(info);
    }
  }

  public int newCount() {
    return newTable.count();
  }

  public int triedCount() {
    return triedTable.count();
  }

  /** A snapshot of every entry, in insertion order. */
  public List<AddressBookEntry> entries() {
    return entries.values().stream().map(AddressInfo::snapshot).toList();
  }

  public AddressBookConfig config() {
    return config;
  }

  /**
   * Writes the secret (if not yet stored) and every entry added, changed or removed since the last
   * flush, in one atomic batch. Meant for the store the book was loaded from (or, for a book built
   * with the constructor, any store: then everything is new). If the write throws, the changes stay
   * pending for the next flush.
   */
  public void flush(PeerDataStore store) {
    PeerDataStore.Batch batch = new PeerDataStore.Batch();
    if (!secretStored) {
      batch.put(PeerDataStore.SECRET_KEY, secret);
    }
    for (byte[] key : staleKeys) {
      batch.delete(key);
    }
    for (PeerId peer : removed) {
      if (!entries.containsKey(peer)) {
        batch.delete(AddressBookCodec.key(peer));
      }
    }
    for (PeerId peer : dirty) {
      AddressInfo info = entries.get(peer);
      if (info != null) {
        batch.put(AddressBookCodec.key(peer), AddressBookCodec.encode(info));
      }
    }
    if (!batch.isEmpty()) {
      store.write(batch);
    }
    secretStored = true;
    staleKeys.clear();
    removed.clear();
    dirty.clear();
  }

  /** Entries changed since the last flush, for metrics and tests. */
  public int pendingWrites() {
    return dirty.size() + removed.size() + staleKeys.size();
  }

  /**
   * Puts {@code info} in the new-table slot its groups hash to. A taken slot is freed only if
   * {@code evictAny} (a tried collision, as addrman) or its holder is terrible; else returns false.
   */
  private boolean placeInNew(AddressInfo info, Instant now, boolean evictAny) {
    int bucket = hasher.newBucket(info.group, info.sourceGroup);
    int position = hasher.newPosition(bucket, info.peerId);
    Optional<PeerId> holder = newTable.get(bucket, position);
    if (holder.isPresent()) {
      AddressInfo incumbent = entries.get(holder.get());
      if (!evictAny && !isTerrible(incumbent, now)) {
        return false;
      }
      delete(incumbent);
    }
    info.tried = false;
    info.bucket = bucket;
    info.position = position;
    newTable.put(bucket, position, info.peerId);
    entries.put(info.peerId, info);
    removed.remove(info.peerId);
    dirty.add(info.peerId);
    return true;
  }

  /** Puts a loaded tried entry in its tried slot, if free. */
  private boolean placeInTried(AddressInfo info) {
    int bucket = hasher.triedBucket(info.peerId, info.group);
    int position = hasher.triedPosition(bucket, info.peerId);
    if (triedTable.get(bucket, position).isPresent()) {
      return false;
    }
    info.bucket = bucket;
    info.position = position;
    triedTable.put(bucket, position, info.peerId);
    entries.put(info.peerId, info);
    return true;
  }

  private void delete(AddressInfo info) {
    (info.tried ? triedTable : newTable).clear(info.bucket, info.position, info.peerId);
    entries.remove(info.peerId);
    dirty.remove(info.peerId);
    removed.add(info.peerId);
  }

  private List<Multiaddr> normalize(List<Multiaddr> addresses) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr address : addresses) {
      if (out.size() >= config.maxAddressesPerPeer()) {
        break;
      }
      Multiaddr plain = address.withoutP2p();
      if (!plain.components().isEmpty() && !out.contains(plain)) {
        out.add(plain);
      }
    }
    return out;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Where {@code peer} sits: for tests of the bucketing invariants. */
  record Slot(boolean tried, int bucket, int position) {}

  Optional<Slot> slotOf(PeerId peer) {
    return Optional.ofNullable(entries.get(peer))
        .map(info -> new Slot(info.tried, info.bucket, info.position));
  }

  Optional<AddressInfo> info(PeerId peer) {
    return Optional.ofNullable(entries.get(peer));
  }

  BucketHasher hasher() {
    return hasher;
  }

  /** Checks that tables and entries agree; throws {@link IllegalStateException} if not (tests). */
  void checkInvariants() {
    int tried = 0;
    for (AddressInfo info : entries.values()) {
      BucketTable table = info.tried ? triedTable : newTable;
      int bucket =
          info.tried
              ? hasher.triedBucket(info.peerId, info.group)
              : hasher.newBucket(info.group, info.sourceGroup);
      int position =
          info.tried
              ? hasher.triedPosition(bucket, info.peerId)
              : hasher.newPosition(bucket, info.peerId);
      if (bucket != info.bucket
          || position != info.position
          || !table.get(bucket, position).equals(Optional.of(info.peerId))) {
        throw new IllegalStateException(info.peerId + " is not in the slot it hashes to");
      }
      tried += info.tried ? 1 : 0;
    }
    if (tried != triedTable.count() || entries.size() - tried != newTable.count()) {
      throw new IllegalStateException(
          "counts disagree: "
              + entries.size()
              + " entries, "
              + newTable.count()
              + " new, "
              + triedTable.count()
              + " tried");
    }
  }
}
