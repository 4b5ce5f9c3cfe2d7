package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * IWANT promises (gossipsub v1.1, "Spam Protection Measures"): for each IWANT we send, one random
 * requested id the advertising peer must deliver before a deadline, or earn a P7 penalty. At most
 * one promise per IWANT, and IWANTs per peer per heartbeat are capped, so this stays bounded.
 * Router thread only.
 */
final class GossipPromises {
  private final Map<MessageId, Map<PeerId, Long>> promises = new HashMap<>();

  void add(PeerId peer, List<MessageId> requested, long deadline, RandomGenerator random) {
    if (requested.isEmpty()) {
      return;
    }
    MessageId id = requested.get(random.nextInt(requested.size()));
    promises.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(peer, deadline);
  }

  /** A message arrived (from anyone): its promises are kept. */
  void delivered(MessageId id) {
    promises.remove(id);
  }

  /** Removes expired promises and returns how many each peer broke. */
  Map<PeerId, Integer> broken(long now) {
    Map<PeerId, Integer> result = new HashMap<>();
    Iterator<Map<PeerId, Long>> it = promises.values().iterator();
    while (it.hasNext()) {
      Map<PeerId, Long> peers = it.next();
      peers
          .entrySet()
          .removeIf(
              e -> {
                if (now - e.getValue() > 0) {
                  result.merge(e.getKey(), 1, Integer::sum);
                  return true;
                }
                return false;
              });
      if (peers.isEmpty()) {
        it.remove();
      }
    }
    return result;
  }

  int size() {
    return promises.size();
  }
}
