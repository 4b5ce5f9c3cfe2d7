package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Fanout: peers we publish to on topics we do not subscribe to, forgotten {@code fanoutTtl} after
 * our last publish (gossipsub-v1.0, "Fanout"). Keys are topics we published to. Router thread only.
 */
final class Fanout {
  private static final class Entry {
    final Set<PeerId> peers = new LinkedHashSet<>();
    long lastPublish;
  }

  private final Map<String, Entry> topics = new HashMap<>();

  /** The live peer set for a topic, created if absent; records the publish time. */
  Set<PeerId> published(String topic, long now) {
    Entry e = topics.computeIfAbsent(topic, t -> new Entry());
    e.lastPublish = now;
    return e.peers;
  }

  /** Removes and returns the peers of a topic (when we join it). */
  Set<PeerId> take(String topic) {
    Entry e = topics.remove(topic);
    return e == null ? Set.of() : e.peers;
  }

  Set<PeerId> peers(String topic) {
    Entry e = topics.get(topic);
    return e == null ? Set.of() : e.peers;
  }

  Set<String> topics() {
    return topics.keySet();
  }

  void removePeer(String topic, PeerId peer) {
    Entry e = topics.get(topic);
    if (e != null) {
      e.peers.remove(peer);
    }
  }

  void removePeer(PeerId peer) {
    topics.values().forEach(e -> e.peers.remove(peer));
  }

  void expire(long now, long ttlNanos) {
    Iterator<Entry> it = topics.values().iterator();
    while (it.hasNext()) {
      if (now - it.next().lastPublish > ttlNanos) {
        it.remove();
      }
    }
  }
}
