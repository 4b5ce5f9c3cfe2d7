package io.meshwork.networking.peers;

import java.time.Duration;
import java.util.Objects;

/**
 * Sizes and policies of the {@link AddressBook}. Defaults are Bitcoin Core addrman's ({@code
 * addrman_impl.h}): 1024 new buckets and 256 tried buckets of 64 slots, one source group spread
 * over at most 64 new buckets, one address group over at most 8 tried buckets.
 *
 * @param newBuckets buckets of the new table (addresses heard of, never connected to)
 * @param triedBuckets buckets of the tried table (addresses we connected to)
 * @param bucketSize slots per bucket, in both tables
 * @param newBucketsPerSourceGroup new buckets one source group can reach: the share of the new
 *     table a single announcing network can fill
 * @param triedBucketsPerGroup tried buckets one address group can reach
 * @param maxAddressesPerPeer multiaddrs kept per peer
 * @param horizon entries not seen (announced or connected) this long are "terrible": evictable
 * @param maxFailures failed dials since the last success after which an entry is evictable
 * @param grouping how addresses map to groups
 */
public record AddressBookConfig(
    int newBuckets,
    int triedBuckets,
    int bucketSize,
    int newBucketsPerSourceGroup,
    int triedBucketsPerGroup,
    int maxAddressesPerPeer,
    Duration horizon,
    int maxFailures,
    AddressGrouping grouping) {

  public AddressBookConfig {
    positive(newBuckets, "newBuckets");
    positive(triedBuckets, "triedBuckets");
    positive(bucketSize, "bucketSize");
    positive(newBucketsPerSourceGroup, "newBucketsPerSourceGroup");
    positive(triedBucketsPerGroup, "triedBucketsPerGroup");
    positive(maxAddressesPerPeer, "maxAddressesPerPeer");
    positive(maxFailures, "maxFailures");
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("horizon must be positive: " + horizon);
    }
    Objects.requireNonNull(grouping, "grouping");
  }

  /** Addrman's sizes with {@link AddressGrouping#NETWORK} grouping. */
  public static AddressBookConfig defaults() {
    return new AddressBookConfig(
        1024, 256, 64, 64, 8, 8, Duration.ofDays(30), 10, AddressGrouping.NETWORK);
  }

  /** As {@link #defaults()}, but every 127.0.0.1 node is its own group (loopback testnets). */
  public static AddressBookConfig loopback() {
    return defaults().withGrouping(AddressGrouping.LOOPBACK_BY_PORT);
  }

  public AddressBookConfig withGrouping(AddressGrouping grouping) {
    return new AddressBookConfig(
        newBuckets,
        triedBuckets,
        bucketSize,
        newBucketsPerSourceGroup,
        triedBucketsPerGroup,
        maxAddressesPerPeer,
        horizon,
        maxFailures,
        grouping);
  }

  /** Total slots of both tables: the most entries the book can hold. */
  public int capacity() {
    return (newBuckets + triedBuckets) * bucketSize;
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
