package io.meshwork.networking.pubsub;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerIdFormatException;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Handles the control part of an RPC: IHAVE/IWANT gossip (v1.0 "Control Messages", with the v1.1
 * spam caps), GRAFT/PRUNE with backoff and peer exchange (v1.1), and IDONTWANT (v1.2). Router
 * thread only; the router flushes what this queues.
 */
final class ControlHandler {
  /** A PRUNE backoff longer than this is treated as this (a peer cannot make us wait forever). */
  private static final long MAX_BACKOFF_SECONDS = 3600;

  /** Longest message id we track; longer ids in IHAVE/IDONTWANT are skipped. */
  static final int MAX_MESSAGE_ID_LENGTH = 256;

  private final GossipRouter r;

  ControlHandler(GossipRouter router) {
    this.r = router;
  }

  void handle(PeerState from, GossipsubProto.ControlMessage control) {
    // v1.1 "Score Thresholds": gossip from peers below the gossip threshold is ignored.
    boolean gossip = r.score.score(from.id) >= r.config.scoreThresholds().gossipThreshold();
    if (gossip && control.getIhaveCount() > 0) {
      ihave(from, control.getIhaveList());
    }
    if (gossip && control.getIwantCount() > 0) {
      iwant(from, control.getIwantList());
    }
    for (GossipsubProto.ControlGraft graft : control.getGraftList()) {
      graft(from, graft.getTopicID());
    }
    // Peer exchange is taken from the first PRUNE with peers only: opening signed records costs
    // signature checks, and one RPC could otherwise carry thousands of them.
    boolean exchangeTaken = false;
    for (GossipsubProto.ControlPrune prune : control.getPruneList()) {
      exchangeTaken |= prune(from, prune, !exchangeTaken);
    }
    for (GossipsubProto.ControlIDontWant idontwant : control.getIdontwantList()) {
      idontwant(from, idontwant);
    }
  }

  private void ihave(PeerState from, List<GossipsubProto.ControlIHave> ihaves) {
    from.ihaveMessages++;
    int maxLength = r.config.maxIHaveLength();
    if (from.ihaveMessages > r.config.maxIHaveMessages() || from.iasked >= maxLength) {
      return;
    }
    List<MessageId> wanted = new ArrayList<>();
    Set<MessageId> unique = new HashSet<>();
    for (GossipsubProto.ControlIHave ihave : ihaves) {
      if (!r.mesh.joined(ihave.getTopicID())) {
        continue;
      }
      for (ByteString bytes : ihave.getMessageIDsList()) {
        if (bytes.size() > MAX_MESSAGE_ID_LENGTH) {
          continue;
        }
        MessageId id = MessageId.of(bytes);
        if (!r.seen.contains(id) && unique.add(id)) {
          wanted.add(id);
        }
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    int room = maxLength - from.iasked;
    r.shuffle(wanted);
    if (wanted.size() > room) {
      wanted = new ArrayList<>(wanted.subList(0, room));
    }
    from.iasked += wanted.size();
    r.outbox.iwant(from.id, wanted);
    r.promises.add(from.id, wanted, r.now() + r.config.iwantFollowupTime().toNanos(), r.random);
  }

  private void iwant(PeerState from, List<GossipsubProto.ControlIWant> iwants) {
    int handled = 0;
    for (GossipsubProto.ControlIWant iwant : iwants) {
      for (ByteString bytes : iwant.getMessageIDsList()) {
        // Bounded work per RPC whatever a peer asks for.
        if (++handled > r.config.maxIHaveLength()) {
          return;
        }
        r.mcache
            .getForPeer(MessageId.of(bytes), from.id, r.config.gossipRetransmission())
            .ifPresent(m -> r.outbox.message(from.id, m, true));
      }
    }
  }

  private void graft(PeerState from, String topic) {
    // v1.1 "Spam Protection Measures": GRAFTs for topics we are not in are ignored, no PRUNE.
    if (!r.mesh.joined(topic) || r.mesh.contains(topic, from.id)) {
      return;
    }
    long now = r.now();
    long backoffNanos = r.config.pruneBackoff().toNanos();
    if (r.backoff.active(topic, from.id, now)) {
      // Grafting during a backoff is penalised, twice if it follows our PRUNE very closely.
      r.score.behaviourPenalty(from.id, 1);
      long pruneTime = r.backoff.end(topic, from.id, now) - backoffNanos;
      if (now - pruneTime < r.config.graftFloodThreshold().toNanos()) {
        r.score.behaviourPenalty(from.id, 1);
      }
      r.backoff.add(topic, from.id, now, backoffNanos);
      r.outbox.prune(from.id, r.prune(from.id, topic, false, backoffNanos));
      return;
    }
    if (r.score.score(from.id) < 0) {
      r.backoff.add(topic, from.id, now, backoffNanos);
      r.outbox.prune(from.id, r.prune(from.id, topic, false, backoffNanos));
      return;
    }
    // v1.1 "Outbound Mesh Quotas": when full, only outbound peers may join.
    if (r.mesh.peers(topic).size() >= r.config.dHi() && !from.outbound) {
      r.backoff.add(topic, from.id, now, backoffNanos);
      r.outbox.prune(from.id, r.prune(from.id, topic, true, backoffNanos));
      return;
    }
    r.mesh.add(topic, from.id);
    r.score.graft(from.id, topic);
  }

  /** Handles a PRUNE; returns whether it carried peer exchange we passed on. */
  private boolean prune(PeerState from, GossipsubProto.ControlPrune prune, boolean acceptPx) {
    String topic = prune.getTopicID();
    if (!r.mesh.joined(topic)) {
      return false;
    }
    if (r.mesh.remove(topic, from.id)) {
      r.score.prune(from.id, topic);
    }
    long seconds =
        prune.getBackoff() > 0
            ? Math.min(prune.getBackoff(), MAX_BACKOFF_SECONDS)
            : r.config.pruneBackoff().toSeconds();
    r.backoff.add(topic, from.id, r.now(), seconds * 1_000_000_000L);
    if (!acceptPx || prune.getPeersCount() == 0) {
      return false;
    }
    if (!(r.score.score(from.id) > r.config.scoreThresholds().acceptPxThreshold())) {
      return false;
    }
    List<PxPeer> px = new ArrayList<>();
    for (GossipsubProto.PeerInfo info : prune.getPeersList()) {
      if (px.size() >= r.config.prunePeers()) {
        break;
      }
      try {
        PeerId peer = PeerId.fromBytes(info.getPeerID().toByteArray());
        if (peer.equals(r.self) || r.peers.containsKey(peer)) {
          continue;
        }
        Optional<byte[]> record =
            info.hasSignedPeerRecord()
                ? Optional.of(info.getSignedPeerRecord().toByteArray())
                : Optional.empty();
        px.add(new PxPeer(peer, record));
      } catch (PeerIdFormatException e) {
        // A malformed entry is skipped; the rest of the exchange may still be useful.
      }
    }
    if (px.isEmpty()) {
      return false;
    }
    r.output.peerExchange(from.id, topic, List.copyOf(px));
    return true;
  }

  private void idontwant(PeerState from, GossipsubProto.ControlIDontWant idontwant) {
    for (ByteString bytes : idontwant.getMessageIDsList()) {
      // v1.2 "max_idontwant_messages": the rest of a flood is ignored until the next heartbeat.
      if (from.idontwantIds >= r.config.maxIDontWantIds()) {
        return;
      }
      if (bytes.size() > MAX_MESSAGE_ID_LENGTH) {
        continue;
      }
      from.idontwantIds++;
      from.dontSend.putIfAbsent(MessageId.of(bytes), r.heartbeatTicks());
    }
  }
}
