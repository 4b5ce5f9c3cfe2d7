package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The heartbeat (gossipsub-v1.0 "Heartbeat", v1.1 "Heartbeat Maintenance"): penalises broken IWANT
 * promises, keeps every mesh between Dlo and Dhi with Dscore best peers and Dout outbound peers,
 * grafts opportunistically, maintains fanout, emits IHAVE gossip, and ages the caches. Router
 * thread only.
 */
final class Heartbeat {
  private final GossipRouter r;

  Heartbeat(GossipRouter router) {
    this.r = router;
  }

  void run() {
    GossipConfig c = r.config;
    long now = r.now();
    r.ticks++;
    r.score.refresh();
    for (PeerState p : r.peers.values()) {
      p.resetHeartbeatCounters();
      p.expireDontSend(r.ticks, c.idontwantTtlTicks());
    }
    r.promises.broken(now).forEach((peer, count) -> r.score.behaviourPenalty(peer, count));

    // Scores are computed once per heartbeat: the maintenance below sorts and filters by them.
    Map<PeerId, Double> scores = new HashMap<>();
    for (PeerId p : r.peers.keySet()) {
      scores.put(p, r.score.score(p));
    }
    for (String topic : r.mesh.topics()) {
      maintainMesh(topic, scores, now);
      emitGossip(topic, r.mesh.peers(topic), scores);
    }
    r.fanout.expire(now, c.fanoutTtl().toNanos());
    double publishThreshold = c.scoreThresholds().publishThreshold();
    for (String topic : r.fanout.topics()) {
      Set<PeerId> fan = r.fanout.peers(topic);
      Set<PeerId> subscribed = r.topicPeers.getOrDefault(topic, Set.of());
      fan.removeIf(p -> !subscribed.contains(p) || scores.getOrDefault(p, 0.0) < publishThreshold);
      if (fan.size() < c.d()) {
        fan.addAll(
            r.selectPeers(
                topic,
                c.d() - fan.size(),
                p -> !fan.contains(p.id) && scores.get(p.id) >= publishThreshold));
      }
      emitGossip(topic, fan, scores);
    }
    r.mcache.shift();
    r.seen.expire(now);
    r.deliveries.expire(now);
    r.backoff.expire(now, c.heartbeatInterval().toNanos());
  }

  private void maintainMesh(String topic, Map<PeerId, Double> scores, long now) {
    GossipConfig c = r.config;
    Set<PeerId> mesh = r.mesh.peers(topic);
    long backoffNanos = c.pruneBackoff().toNanos();

    // Negative peers leave every mesh, without peer exchange.
    for (PeerId p : new ArrayList<>(mesh)) {
      if (scores.getOrDefault(p, 0.0) < 0) {
        pruneFromMesh(topic, p, false, backoffNanos, now);
      }
    }

    if (mesh.size() < c.dLo()) {
      for (PeerId p : eligible(topic, c.d() - mesh.size(), scores, now, false)) {
        r.graft(topic, p);
      }
    }

    if (mesh.size() > c.dHi()) {
      List<PeerId> byScore = new ArrayList<>(mesh);
      r.shuffle(byScore);
      byScore.sort(
          Comparator.comparingDouble((PeerId p) -> scores.getOrDefault(p, 0.0)).reversed());
      List<PeerId> keep = new ArrayList<>(byScore.subList(0, c.dScore()));
      List<PeerId> rest = new ArrayList<>(byScore.subList(c.dScore(), byScore.size()));
      r.shuffle(rest);
      keep.addAll(rest.subList(0, c.d() - c.dScore()));
      // Keep Dout outbound peers: swap in outbound peers from the dropped ones, replacing the
      // random (then lowest scoring) inbound ones at the end of the selection.
      int outbound = (int) keep.stream().filter(this::isOutbound).count();
      if (outbound < c.dOut()) {
        List<PeerId> dropped = new ArrayList<>(byScore);
        dropped.removeAll(keep);
        for (PeerId candidate : dropped) {
          if (outbound >= c.dOut()) {
            break;
          }
          if (!isOutbound(candidate)) {
            continue;
          }
          for (int i = keep.size() - 1; i >= 0; i--) {
            if (!isOutbound(keep.get(i))) {
              keep.set(i, candidate);
              outbound++;
              break;
            }
          }
        }
      }
      Set<PeerId> keepSet = new HashSet<>(keep);
      for (PeerId p : new ArrayList<>(mesh)) {
        if (!keepSet.contains(p)) {
          pruneFromMesh(topic, p, true, backoffNanos, now);
        }
      }
    }

    if (mesh.size() >= c.dLo()) {
      int outbound = (int) mesh.stream().filter(this::isOutbound).count();
      if (outbound < c.dOut()) {
        for (PeerId p : eligible(topic, c.dOut() - outbound, scores, now, true)) {
          r.graft(topic, p);
        }
      }
    }

    // v1.1 "Opportunistic Grafting": lift a mesh whose median score is poor.
    if (c.opportunisticGraftTicks() > 0
        && r.ticks % c.opportunisticGraftTicks() == 0
        && mesh.size() > 1) {
      List<Double> sorted = new ArrayList<>();
      mesh.forEach(p -> sorted.add(scores.getOrDefault(p, 0.0)));
      sorted.sort(null);
      double median = sorted.get(sorted.size() / 2);
      if (median < c.scoreThresholds().opportunisticGraftThreshold()) {
        List<PeerId> better =
            r.selectPeers(
                topic,
                c.opportunisticGraftPeers(),
                p ->
                    !mesh.contains(p.id)
                        && !r.backoff.active(topic, p.id, now)
                        && scores.get(p.id) > median);
        for (PeerId p : better) {
          r.graft(topic, p);
        }
      }
    }
  }

  private List<PeerId> eligible(
      String topic, int n, Map<PeerId, Double> scores, long now, boolean outboundOnly) {
    Set<PeerId> mesh = r.mesh.peers(topic);
    return r.selectPeers(
        topic,
        n,
        p ->
            !mesh.contains(p.id)
                && (!outboundOnly || p.outbound)
                && !r.backoff.active(topic, p.id, now)
                && scores.get(p.id) >= 0);
  }

  private boolean isOutbound(PeerId p) {
    PeerState s = r.peers.get(p);
    return s != null && s.outbound;
  }

  private void pruneFromMesh(String topic, PeerId p, boolean px, long backoffNanos, long now) {
    r.mesh.remove(topic, p);
    r.score.prune(p, topic);
    r.backoff.add(topic, p, now, backoffNanos);
    r.outbox.prune(p, r.prune(p, topic, px, backoffNanos));
  }

  /** v1.1 "Adaptive Gossip Dissemination": IHAVE to max(Dlazy, factor × eligible) peers. */
  private void emitGossip(String topic, Set<PeerId> exclude, Map<PeerId, Double> scores) {
    List<MessageId> ids = r.mcache.gossipIds(topic);
    if (ids.isEmpty()) {
      return;
    }
    double threshold = r.config.scoreThresholds().gossipThreshold();
    List<PeerId> candidates =
        r.selectPeers(
            topic,
            Integer.MAX_VALUE,
            p -> !exclude.contains(p.id) && scores.get(p.id) >= threshold);
    int target = Math.max(r.config.dLazy(), (int) (r.config.gossipFactor() * candidates.size()));
    int max = r.config.maxIHaveLength();
    for (PeerId p : candidates.subList(0, Math.min(target, candidates.size()))) {
      List<MessageId> advertised = ids;
      if (ids.size() > max) {
        advertised = new ArrayList<>(ids);
        r.shuffle(advertised);
        advertised = advertised.subList(0, max);
      }
      r.outbox.ihave(p, topic, advertised);
    }
  }
}
