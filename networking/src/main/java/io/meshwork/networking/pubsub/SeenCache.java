package io.meshwork.networking.pubsub;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message ids seen recently, for deduplication ("seen cache", TTL {@code seenTtl}); bounded, the
 * oldest evicted first. Insertion order is time order because the TTL is fixed. Router thread only.
 */
final class SeenCache {
  private final LinkedHashMap<MessageId, Long> expiry = new LinkedHashMap<>();
  private final long ttlNanos;
  private final int capacity;

  SeenCache(long ttlNanos, int capacity) {
    this.ttlNanos = ttlNanos;
    this.capacity = capacity;
  }

  /** Marks an id seen; returns false if it already was. */
  boolean add(MessageId id, long now) {
    if (expiry.containsKey(id)) {
      return false;
    }
    expiry.put(id, now + ttlNanos);
    if (expiry.size() > capacity) {
      Iterator<MessageId> it = expiry.keySet().iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  boolean contains(MessageId id) {
    return expiry.containsKey(id);
  }

  void expire(long now) {
    Iterator<Map.Entry<MessageId, Long>> it = expiry.entrySet().iterator();
    while (it.hasNext() && now - it.next().getValue() >= 0) {
      it.remove();
    }
  }

  int size() {
    return expiry.size();
  }
}
