package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the router knows of one connected gossipsub peer: protocol version, direction, topics (at
 * most {@code maxTopicsPerPeer}), per-heartbeat gossip counters, and its IDONTWANT ids. Router
 * thread only.
 */
final class PeerState {
  final PeerId id;
  final GossipProtocol protocol;
  final boolean outbound;
  final Optional<InetAddress> ip;
  final Set<String> topics = new HashSet<>();
  int ihaveMessages;
  int iasked;
  int idontwantIds;

  /** IDONTWANT ids with the heartbeat tick they arrived in; insertion order is tick order. */
  final LinkedHashMap<MessageId, Long> dontSend = new LinkedHashMap<>();

  PeerState(PeerId id, GossipProtocol protocol, boolean outbound, Optional<InetAddress> ip) {
    this.id = id;
    this.protocol = protocol;
    this.outbound = outbound;
    this.ip = ip;
  }

  void resetHeartbeatCounters() {
    ihaveMessages = 0;
    iasked = 0;
    idontwantIds = 0;
  }

  void expireDontSend(long tick, int ttlTicks) {
    Iterator<Map.Entry<MessageId, Long>> it = dontSend.entrySet().iterator();
    while (it.hasNext() && tick - it.next().getValue() >= ttlTicks) {
      it.remove();
    }
  }
}
