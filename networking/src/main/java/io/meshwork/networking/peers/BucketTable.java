package io.meshwork.networking.peers;

import io.meshwork.networking.crypto.PeerId;
import java.util.Optional;

/**
 * One of the {@link AddressBook}'s two tables (addrman's {@code vvNew} / {@code vvTried}): a fixed
 * grid of buckets by slots, each slot empty or holding one peer. Fixed size, so the book's memory
 * is bounded whatever is announced. Not thread-safe.
 */
final class BucketTable {
  private final PeerId[][] slots;
  private final int bucketSize;
  private int count;

  BucketTable(int buckets, int bucketSize) {
    this.slots = new PeerId[buckets][];
    this.bucketSize = bucketSize;
  }

  int buckets() {
    return slots.length;
  }

  int bucketSize() {
    return bucketSize;
  }

  int count() {
    return count;
  }

  Optional<PeerId> get(int bucket, int position) {
    PeerId[] row = slots[bucket];
    return row == null ? Optional.empty() : Optional.ofNullable(row[position]);
  }

  /** Puts {@code peer} into an empty slot. */
  void put(int bucket, int position, PeerId peer) {
    if (slots[bucket] == null) {
      // Buckets are allocated on first use: most of a fresh book's 80k slots stay empty.
      slots[bucket] = new PeerId[bucketSize];
    }
    if (slots[bucket][position] != null) {
      throw new IllegalStateException("slot " + bucket + "/" + position + " is taken");
    }
    slots[bucket][position] = peer;
    count++;
  }

  /** Empties the slot if it holds {@code peer}. */
  void clear(int bucket, int position, PeerId peer) {
    PeerId[] row = slots[bucket];
    if (row != null && peer.equals(row[position])) {
      row[position] = null;
      count--;
    }
  }

  /** How many slots of {@code bucket} are taken. */
  int occupancy(int bucket) {
    PeerId[] row = slots[bucket];
    if (row == null) {
      return 0;
    }
    int taken = 0;
    for (PeerId peer : row) {
      if (peer != null) {
        taken++;
      }
    }
    return taken;
  }
}
