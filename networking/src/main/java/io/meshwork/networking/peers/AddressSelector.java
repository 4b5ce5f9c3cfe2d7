package io.meshwork.networking.peers;

import io.meshwork.networking.crypto.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Picks the {@link AddressBook}'s next peer to dial, as addrman's {@code Select} and {@code
 * GetChance}: which table, random probes into its buckets, odds lowered by recent dials and
 * failures, and a weighted full scan when the probes find nothing acceptable.
 *
 * <p>Reads the book's entries and tables, never changes them. Not thread-safe: called only by the
 * book, on the thread that owns it (the peer manager's).
 */
final class AddressSelector {
  /** A dial this recent makes an entry 100 times less likely to be selected (addrman: 10 min). */
  static final Duration RECENT_TRY = Duration.ofMinutes(10);

  /** Random probes {@link #select} makes before it falls back to a full scan. */
  static final int SELECT_PROBES = 1024;

  private final Map<PeerId, AddressInfo> entries;
  private final BucketTable newTable;
  private final BucketTable triedTable;
  private final Clock clock;
  private final RandomGenerator random;

  /** Selects from the book's live {@code entries} and tables (shared, not copied). */
  AddressSelector(
      Map<PeerId, AddressInfo> entries,
      BucketTable newTable,
      BucketTable triedTable,
      Clock clock,
      RandomGenerator random) {
    this.entries = entries;
    this.newTable = newTable;
    this.triedTable = triedTable;
    this.clock = clock;
    this.random = random;
  }

  /**
   * A random peer to dial, addrman's {@code Select}: the new or the tried table with even odds
   * (only new if {@code newOnly}, as for feelers; the other if one is empty), then random buckets,
   * each scanned from a random slot to its first entry; an entry {@code accept}s is taken with its
   * {@link #chance}, each refusal making the next entry likelier to be taken. After {@link
   * #SELECT_PROBES} probes (a sparse book, or one where {@code accept} rejects almost everything)
   * it picks among all acceptable entries of both tables (new only if {@code newOnly}) weighted by
   * chance, so it always terminates.
   *
   * @param accept rejects entries the caller cannot use (connected, banned, backing off, group in
   *     use); may be called many times per selection
   * @return empty if no entry is acceptable
   */
  Optional<AddressBookEntry> select(boolean newOnly, Predicate<AddressBookEntry> accept) {
    if (entries.isEmpty() || (newOnly && newTable.count() == 0)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    // Like addrman, the table is chosen once per selection, so a sparse table keeps its even odds.
    boolean useTried =
        !newOnly && triedTable.count() > 0 && (newTable.count() == 0 || random.nextBoolean());
    BucketTable table = useTried ? triedTable : newTable;
    double factor = 1.0;
    for (int probe = 0; probe < SELECT_PROBES; probe++) {
      Optional<PeerId> found =
          table.firstFrom(random.nextInt(table.buckets()), random.nextInt(table.bucketSize()));
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
    Optional<AddressBookEntry> fallback = weightedFallback(useTried, accept, now);
    return fallback.isPresent() || newOnly ? fallback : weightedFallback(!useTried, accept, now);
  }

  /** An acceptable entry of one table, picked with odds proportional to {@link #chance}. */
  private Optional<AddressBookEntry> weightedFallback(
      boolean tried, Predicate<AddressBookEntry> accept, Instant now) {
    List<AddressBookEntry> candidates = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    double total = 0;
    for (AddressInfo info : entries.values()) {
      if (info.tried != tried) {
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
}
