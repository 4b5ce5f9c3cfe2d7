package io.meshwork.sync;

import io.meshwork.chain.model.Hash;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * When this node first saw each recent transaction (from gossip or a local submission), bounded to
 * the newest {@code capacity}. A compact block we announce sends whole the transactions seen less
 * than a window ago: peers may not have them yet. Thread-safe.
 */
final class RecentTransactions {
  private final int capacity;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<Hash, Long> firstSeen;

  RecentTransactions(int capacity, LongSupplier nanoClock) {
    this.capacity = capacity;
    this.nanoClock = nanoClock;
    this.firstSeen =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash, Long> eldest) {
            return size() > RecentTransactions.this.capacity;
          }
        };
  }

  synchronized void seen(Hash tx) {
    firstSeen.putIfAbsent(tx, nanoClock.getAsLong());
  }

  /** Whether {@code tx} is unknown here or was first seen less than {@code windowNanos} ago. */
  synchronized boolean isFresh(Hash tx, long windowNanos) {
    Long at = firstSeen.get(tx);
    return at == null || nanoClock.getAsLong() - at < windowNanos;
  }
}
