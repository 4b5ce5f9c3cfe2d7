package io.meshwork.networking.pubsub;

import io.meshwork.networking.core.Stream;
import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The outbound RPCs waiting for one peer's stream, bounded in bytes. When full, queued gossip
 * (IHAVE, IWANT, IDONTWANT, IWANT replies) is dropped first, oldest first; if a non-gossip RPC
 * still does not fit, the peer is too slow to keep and the caller disconnects it. Router thread
 * only.
 */
final class PeerQueue {
  enum Offer {
    QUEUED,
    DROPPED,
    OVERFLOW
  }

  record Entry(RPC rpc, int size, boolean gossip, Map<String, Integer> topicBytes) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final long maxBytes;
  private final Map<String, Long> queuedByTopic;
  private long bytes;
  Optional<Stream> stream = Optional.empty();
  // Whether a stream was ever attached: a later one replaces it (its connection closed).
  boolean hadStream;
  boolean awaitingWritability;
  long droppedGossip;

  /**
   * @param maxBytes the bound
   * @param queuedByTopic the service-wide per-topic counter of queued message bytes, kept in step
   */
  PeerQueue(long maxBytes, Map<String, Long> queuedByTopic) {
    this.maxBytes = maxBytes;
    this.queuedByTopic = queuedByTopic;
  }

  Offer offer(RPC rpc, boolean gossip) {
    int body = rpc.getSerializedSize();
    int size = Varint.size(body) + body;
    if (bytes + size > maxBytes) {
      Iterator<Entry> it = entries.iterator();
      while (bytes + size > maxBytes && it.hasNext()) {
        Entry e = it.next();
        if (e.gossip) {
          it.remove();
          account(e, -1);
          droppedGossip++;
        }
      }
    }
    if (bytes + size > maxBytes) {
      if (gossip) {
        droppedGossip++;
        return Offer.DROPPED;
      }
      return Offer.OVERFLOW;
    }
    Map<String, Integer> topicBytes = new HashMap<>();
    for (GossipsubProto.Message m : rpc.getPublishList()) {
      topicBytes.merge(m.getTopic(), m.getSerializedSize(), Integer::sum);
    }
    Entry e = new Entry(rpc, size, gossip, topicBytes);
    entries.add(e);
    account(e, 1);
    return Offer.QUEUED;
  }

  Optional<Entry> poll() {
    Entry e = entries.poll();
    if (e == null) {
      return Optional.empty();
    }
    account(e, -1);
    return Optional.of(e);
  }

  void clear() {
    while (poll().isPresent()) {
      // account() runs for each entry
    }
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  long bytes() {
    return bytes;
  }

  private void account(Entry e, int sign) {
    bytes += sign * (long) e.size;
    e.topicBytes.forEach(
        (topic, n) -> {
          long next = queuedByTopic.getOrDefault(topic, 0L) + sign * (long) n;
          if (next == 0) {
            queuedByTopic.remove(topic);
          } else {
            queuedByTopic.put(topic, next);
          }
        });
  }
}
