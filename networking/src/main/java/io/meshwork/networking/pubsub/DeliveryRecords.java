package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What happened to each recent message, for scoring (gossipsub v1.1, "P3 and P3b"): whether it is
 * still validating, valid, invalid or ignored, and which peers delivered duplicates while it
 * validated (they share the first deliverer's credit or penalty). Bounded like the seen cache.
 * Router thread only.
 */
final class DeliveryRecords {
  enum Status {
    VALIDATING,
    VALID,
    INVALID,
    IGNORED
  }

  static final class Record {
    final String topic;
    final PeerId firstSource;
    Status status = Status.VALIDATING;
    long validatedAt;
    final Set<PeerId> duplicateSources = new LinkedHashSet<>();
    PubsubMessage message;

    Record(String topic, PeerId firstSource, PubsubMessage message) {
      this.topic = topic;
      this.firstSource = firstSource;
      this.message = message;
    }
  }

  private final LinkedHashMap<MessageId, Record> records = new LinkedHashMap<>();
  private final LinkedHashMap<MessageId, Long> expiry = new LinkedHashMap<>();
  private final long ttlNanos;
  private final int capacity;
  // A duplicate sender list never needs more than a mesh's worth of peers; a bound keeps a record
  // small whatever the peer count.
  private static final int MAX_DUPLICATE_SOURCES = 64;

  DeliveryRecords(long ttlNanos, int capacity) {
    this.ttlNanos = ttlNanos;
    this.capacity = capacity;
  }

  Record create(MessageId id, String topic, PeerId source, PubsubMessage message, long now) {
    Record r = new Record(topic, source, message);
    records.put(id, r);
    expiry.put(id, now + ttlNanos);
    if (records.size() > capacity) {
      MessageId oldest = records.keySet().iterator().next();
      records.remove(oldest);
      expiry.remove(oldest);
    }
    return r;
  }

  Optional<Record> get(MessageId id) {
    return Optional.ofNullable(records.get(id));
  }

  static void addDuplicateSource(Record r, PeerId peer) {
    if (!peer.equals(r.firstSource) && r.duplicateSources.size() < MAX_DUPLICATE_SOURCES) {
      r.duplicateSources.add(peer);
    }
  }

  void expire(long now) {
    Iterator<Map.Entry<MessageId, Long>> it = expiry.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<MessageId, Long> e = it.next();
      if (now - e.getValue() < 0) {
        break;
      }
      it.remove();
      records.remove(e.getKey());
    }
  }
}
