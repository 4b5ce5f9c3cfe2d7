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

  /** Re-announcements refresh "last seen" at most this often, to keep flushes small. */
  static final Duration SEEN_REFRESH = Duration.ofMinutes(20);

  private final AddressBookConfig config;
  private final byte[] secret;
  private final Clock clock;
  private final BucketHasher hasher;
  private final Map<PeerId, AddressInfo> entries = new LinkedHashMap<>();
  private final BucketTable newTable;
  private final BucketTable triedTable;
  private final AddressSelector selector;
  private final AddressBookJournal journal = new AddressBookJournal();

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
    this.hasher = new BucketHasher(secret, config);
    this.newTable = new BucketTable(config.newBuckets(), config.bucketSize());
    this.triedTable = new BucketTable(config.triedBuckets(), config.bucketSize());
    this.selector =
        new AddressSelector(entries, newTable, triedTable, clock, Objects.requireNonNull(random));
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
    book.journal.secretStored();
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
            book.journal.stale(key);
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
    book.journal.loaded(demoted.stream().filter(book.entries::containsKey).toList());
    LOG.info(
        "address book loaded: {} new, {} tried, {} unreadable",
        book.newCount(),
        book.triedCount(),
        book.journal.staleCount());
    return book;
  }

  private void placeOrDrop(AddressInfo info, Instant now) {
    if (!placeInNew(info, now, false)) {
      journal.dropped(info.peerId);
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
        journal.changed(known.peerId);
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
    journal.changed(peer);
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
    journal.changed(peer);
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
    journal.changed(peer);
  }

  /**
   * A random peer to dial, addrman's {@code Select}; see {@link AddressSelector#select}.
   *
   * @param newOnly select from the new table only, as for feelers
   * @param accept rejects entries the caller cannot use (connected, banned, backing off, group in
   *     use); may be called many times per selection
   * @return empty if no entry is acceptable
   */
  public Optional<AddressBookEntry> select(boolean newOnly, Predicate<AddressBookEntry> accept) {
    return selector.select(newOnly, accept);
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
    journal.flush(store, secret, entries);
  }

  /** Entries changed since the last flush, for metrics and tests. */
  public int pendingWrites() {
    return journal.pendingWrites();
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
      if (!evictAny && !incumbent.isTerrible(now, config)) {
        return false;
      }
      delete(incumbent);
    }
    info.tried = false;
    info.bucket = bucket;
    info.position = position;
    newTable.put(bucket, position, info.peerId);
    entries.put(info.peerId, info);
    journal.placed(info.peerId);
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
    journal.deleted(info.peerId);
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

  /**
   * Where an entry sits: its table, bucket and position. Diagnostic (and for tests that a reload
   * re-buckets identically); the values depend on the secret and mean nothing elsewhere.
   */
  public record Slot(boolean tried, int bucket, int position) {}

  /** The slot {@code peer} occupies, if it is in the book. */
  public Optional<Slot> slotOf(PeerId peer) {
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
