package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * PRUNE backoff (gossipsub v1.1, "PRUNE Backoff and Peer Exchange"): per topic and peer, the time
 * before which neither side may GRAFT again. Keys are topics of our mesh. Router thread only.
 */
final class Backoff {
  private final Map<String, Map<PeerId, Long>> until = new HashMap<>();

  /** Starts or extends a backoff to {@code now + durationNanos}; never shortens one. */
  void add(String topic, PeerId peer, long now, long durationNanos) {
    until.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, now + durationNanos, Math::max);
  }

  boolean active(String topic, PeerId peer, long now) {
    Long end = until.getOrDefault(topic, Map.of()).get(peer);
    return end != null && end - now > 0;
  }

  /** End of the backoff, or {@code now} if there is none. */
  long end(String topic, PeerId peer, long now) {
    Long end = until.getOrDefault(topic, Map.of()).get(peer);
    return end == null ? now : end;
  }

  /** Forgets backoffs that ended more than {@code slackNanos} ago. */
  void expire(long now, long slackNanos) {
    Iterator<Map<PeerId, Long>> topics = until.values().iterator();
    while (topics.hasNext()) {
      Map<PeerId, Long> peers = topics.next();
      peers.values().removeIf(end -> now - end > slackNanos);
      if (peers.isEmpty()) {
        topics.remove();
      }
    }
  }
}
