package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The mesh: for each topic we subscribe to, the peers we forward full messages to (gossipsub-v1.0,
 * "Mesh Maintenance"). Keys are our own topics only, so its size is bounded by our subscriptions.
 * Router thread only.
 */
final class Mesh {
  private final Map<String, Set<PeerId>> topics = new HashMap<>();

  void join(String topic) {
    topics.putIfAbsent(topic, new LinkedHashSet<>());
  }

  /** Leaves the topic and returns the peers that were in its mesh. */
  Set<PeerId> leave(String topic) {
    Set<PeerId> peers = topics.remove(topic);
    return peers == null ? Set.of() : peers;
  }

  boolean joined(String topic) {
    return topics.containsKey(topic);
  }

  /** The live (mutable) peer set of a joined topic; empty and immutable if not joined. */
  Set<PeerId> peers(String topic) {
    Set<PeerId> peers = topics.get(topic);
    return peers == null ? Set.of() : peers;
  }

  boolean contains(String topic, PeerId peer) {
    return peers(topic).contains(peer);
  }

  boolean add(String topic, PeerId peer) {
    Set<PeerId> peers = topics.get(topic);
    return peers != null && peers.add(peer);
  }

  boolean remove(String topic, PeerId peer) {
    Set<PeerId> peers = topics.get(topic);
    return peers != null && peers.remove(peer);
  }

  Set<String> topics() {
    return topics.keySet();
  }
}
