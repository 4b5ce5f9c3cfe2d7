package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message cache (gossipsub-v1.0, "Message Cache"): validated messages of the last {@code
 * length} heartbeats, the ids of the last {@code gossip} of which are advertised in IHAVE. Counts
 * IWANT replies per peer and message (v1.1, "Spam Protection Measures"). Router thread only.
 */
final class MessageCache {
  private record Window(MessageId id, String topic) {}

  private static final class Cached {
    final PubsubMessage message;
    final Map<PeerId, Integer> transmissions = new HashMap<>();

    Cached(PubsubMessage message) {
      this.message = message;
    }
  }

  private final int gossipWindows;
  private final int length;
  private final ArrayDeque<List<Window>> windows = new ArrayDeque<>();
  private final Map<MessageId, Cached> messages = new HashMap<>();

  MessageCache(int length, int gossipWindows) {
    this.length = length;
    this.gossipWindows = gossipWindows;
    windows.addFirst(new ArrayList<>());
  }

  void put(MessageId id, PubsubMessage message) {
    if (messages.putIfAbsent(id, new Cached(message)) == null) {
      windows.peekFirst().add(new Window(id, message.topic()));
    }
  }

  Optional<PubsubMessage> get(MessageId id) {
    Cached c = messages.get(id);
    return c == null ? Optional.empty() : Optional.of(c.message);
  }

  /** The message for an IWANT from {@code peer}, unless it was already sent {@code max} times. */
  Optional<PubsubMessage> getForPeer(MessageId id, PeerId peer, int max) {
    Cached c = messages.get(id);
    if (c == null) {
      return Optional.empty();
    }
    int count = c.transmissions.merge(peer, 1, Integer::sum);
    return count > max ? Optional.empty() : Optional.of(c.message);
  }

  /** Ids of the gossip windows for a topic, newest first. */
  List<MessageId> gossipIds(String topic) {
    List<MessageId> ids = new ArrayList<>();
    int i = 0;
    for (List<Window> window : windows) {
      if (i++ >= gossipWindows) {
        break;
      }
      for (Window w : window) {
        if (w.topic.equals(topic)) {
          ids.add(w.id);
        }
      }
    }
    return ids;
  }

  /** Heartbeat: opens a new window and drops the oldest beyond {@code length}. */
  void shift() {
    windows.addFirst(new ArrayList<>());
    while (windows.size() > length) {
      for (Window w : windows.removeLast()) {
        messages.remove(w.id);
      }
    }
  }

  int size() {
    return messages.size();
  }
}
