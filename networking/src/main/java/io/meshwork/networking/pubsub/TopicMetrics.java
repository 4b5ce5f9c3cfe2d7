package io.meshwork.networking.pubsub;

/**
 * Per-topic counters since start, plus the current mesh size. A snapshot value.
 *
 * @param delivered messages accepted and delivered to the application (or forwarded)
 * @param duplicates copies of messages already seen
 * @param invalid messages rejected by signature checks or validators
 * @param ignored messages a validator ignored, or dropped because the validation queue was full
 * @param published messages we published
 * @param meshSize peers in our mesh for the topic now
 * @param queuedBytes bytes of this topic's messages waiting in outbound peer queues (0 from the
 *     router, which queues nothing; filled in by {@link GossipService})
 */
public record TopicMetrics(
    long delivered,
    long duplicates,
    long invalid,
    long ignored,
    long published,
    int meshSize,
    long queuedBytes) {

  TopicMetrics withQueuedBytes(long bytes) {
    return new TopicMetrics(delivered, duplicates, invalid, ignored, published, meshSize, bytes);
  }

  /** Mutable counters behind the snapshot. Router thread only. */
  static final class Counters {
    long delivered;
    long duplicates;
    long invalid;
    long ignored;
    long published;

    TopicMetrics snapshot(int meshSize) {
      return new TopicMetrics(delivered, duplicates, invalid, ignored, published, meshSize, 0);
    }
  }
}
