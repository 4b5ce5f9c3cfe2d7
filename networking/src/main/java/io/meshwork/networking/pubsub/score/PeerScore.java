package io.meshwork.networking.pubsub.score;

import io.meshwork.networking.crypto.PeerId;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The gossipsub v1.1 score function, "The Score Function": per-topic counters P1 to P4, the
 * application score P5, IP colocation P6 and the behaviour penalty P7, decayed every decay
 * interval. Sans-IO: time comes from the injected nanosecond clock. Not thread-safe: the router
 * thread owns it.
 *
 * <p>Memory is bounded by the connected peers, the peers retained for {@link
 * PeerScoreParams#retainScore()}, and the topics that have score parameters and that the router
 * reports events for (only topics it is subscribed to).
 */
public final class PeerScore {
  private final PeerScoreParams params;
  private final LongSupplier nanos;
  private final Map<PeerId, PeerStats> peers = new HashMap<>();
  private final Map<InetAddress, Set<PeerId>> peersByIp = new HashMap<>();
  private long lastDecay;

  public PeerScore(PeerScoreParams params, LongSupplier nanos) {
    this.params = params;
    this.nanos = nanos;
    this.lastDecay = nanos.getAsLong();
  }

  public PeerScoreParams params() {
    return params;
  }

  private static final class PeerStats {
    boolean connected = true;
    long expireAt;
    Optional<InetAddress> ip = Optional.empty();
    double behaviourPenalty;
    final Map<String, TopicStats> topics = new HashMap<>();
  }

  private static final class TopicStats {
    boolean inMesh;
    long graftTime;
    boolean meshDeliveriesActive;
    double firstMessageDeliveries;
    double meshMessageDeliveries;
    double meshFailurePenalty;
    double invalidMessageDeliveries;
  }

  /** A peer connected; a retained score from an earlier connection is resumed. */
  public void addPeer(PeerId peer, Optional<InetAddress> ip) {
    PeerStats stats = peers.computeIfAbsent(peer, p -> new PeerStats());
    stats.connected = true;
    setIp(peer, stats, ip);
  }

  /**
   * A peer disconnected. Its mesh membership ends (with the P3b penalty of a prune); a non-positive
   * score is retained so that reconnecting does not reset a penalty.
   */
  public void removePeer(PeerId peer) {
    PeerStats stats = peers.get(peer);
    if (stats == null) {
      return;
    }
    stats.topics.forEach((topic, ts) -> leaveMesh(topic, ts));
    if (score(peer) > 0) {
      forget(peer, stats);
      return;
    }
    stats.connected = false;
    // Colocation counts connected peers only; the address is kept for the reconnect.
    stats.ip.ifPresent(ip -> removeIp(peer, ip));
    stats.expireAt = nanos.getAsLong() + params.retainScore().toNanos();
  }

  public void graft(PeerId peer, String topic) {
    topicStats(peer, topic)
        .ifPresent(
            ts -> {
              ts.inMesh = true;
              ts.graftTime = nanos.getAsLong();
              ts.meshDeliveriesActive = false;
            });
  }

  public void prune(PeerId peer, String topic) {
    topicStats(peer, topic).ifPresent(ts -> leaveMesh(topic, ts));
  }

  private void leaveMesh(String topic, TopicStats ts) {
    if (!ts.inMesh) {
      return;
    }
    // P3b: a prune with an active delivery deficit is remembered (v1.1, "P3 and P3b").
    params
        .topic(topic)
        .ifPresent(
            tp -> {
              if (ts.meshDeliveriesActive
                  && ts.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()) {
                double deficit = tp.meshMessageDeliveriesThreshold() - ts.meshMessageDeliveries;
                ts.meshFailurePenalty += deficit * deficit;
              }
            });
    ts.inMesh = false;
    ts.meshDeliveriesActive = false;
  }

  /** The peer was the first to deliver a message that then validated: P2, and P3 when in mesh. */
  public void firstDelivery(PeerId peer, String topic) {
    topicStats(peer, topic)
        .ifPresent(
            ts -> {
              TopicScoreParams tp = params.topic(topic).orElseThrow();
              ts.firstMessageDeliveries =
                  Math.min(ts.firstMessageDeliveries + 1, tp.firstMessageDeliveriesCap());
              meshDelivery(ts, tp);
            });
  }

  /** The peer delivered a message near-first (while it validated, or within the window): P3. */
  public void nearFirstDelivery(PeerId peer, String topic) {
    topicStats(peer, topic).ifPresent(ts -> meshDelivery(ts, params.topic(topic).orElseThrow()));
  }

  private static void meshDelivery(TopicStats ts, TopicScoreParams tp) {
    if (ts.inMesh) {
      ts.meshMessageDeliveries =
          Math.min(ts.meshMessageDeliveries + 1, tp.meshMessageDeliveriesCap());
    }
  }

  /** The peer delivered a message that failed validation or signature checks: P4. */
  public void invalidMessage(PeerId peer, String topic) {
    topicStats(peer, topic).ifPresent(ts -> ts.invalidMessageDeliveries += 1);
  }

  /** P7: the router caught the peer misbehaving {@code count} times. */
  public void behaviourPenalty(PeerId peer, double count) {
    PeerStats stats = peers.get(peer);
    if (stats != null) {
      stats.behaviourPenalty += count;
    }
  }

  /** The mesh delivery window of a topic, for near-first accounting by the router. */
  public long meshDeliveryWindowNanos(String topic) {
    return params.topic(topic).map(tp -> tp.meshMessageDeliveriesWindow().toNanos()).orElse(0L);
  }

  /** The current score; 0 for unknown peers. */
  public double score(PeerId peer) {
    PeerStats stats = peers.get(peer);
    if (stats == null) {
      return 0;
    }
    long now = nanos.getAsLong();
    double topicScore = 0;
    for (Map.Entry<String, TopicStats> e : stats.topics.entrySet()) {
      Optional<TopicScoreParams> maybe = params.topic(e.getKey());
      if (maybe.isEmpty()) {
        continue;
      }
      TopicScoreParams tp = maybe.get();
      TopicStats ts = e.getValue();
      double p1 =
          ts.inMesh
              ? Math.min(
                  (double) (now - ts.graftTime) / tp.timeInMeshQuantum().toNanos(),
                  tp.timeInMeshCap())
              : 0;
      double p3 = 0;
      if (ts.meshDeliveriesActive
          && ts.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()) {
        double deficit = tp.meshMessageDeliveriesThreshold() - ts.meshMessageDeliveries;
        p3 = deficit * deficit;
      }
      double topic =
          tp.timeInMeshWeight() * p1
              + tp.firstMessageDeliveriesWeight() * ts.firstMessageDeliveries
              + tp.meshMessageDeliveriesWeight() * p3
              + tp.meshFailurePenaltyWeight() * ts.meshFailurePenalty
              + tp.invalidMessageDeliveriesWeight()
                  * ts.invalidMessageDeliveries
                  * ts.invalidMessageDeliveries;
      topicScore += tp.topicWeight() * topic;
    }
    if (params.topicScoreCap() > 0 && topicScore > params.topicScoreCap()) {
      topicScore = params.topicScoreCap();
    }
    double score = topicScore;
    score += params.appSpecificWeight() * params.appSpecificScore().applyAsDouble(peer);
    score += params.ipColocationFactorWeight() * ipColocationFactor(stats);
    if (stats.behaviourPenalty > params.behaviourPenaltyThreshold()) {
      double excess = stats.behaviourPenalty - params.behaviourPenaltyThreshold();
      score += params.behaviourPenaltyWeight() * excess * excess;
    }
    return score;
  }

  private double ipColocationFactor(PeerStats stats) {
    if (stats.ip.isEmpty()) {
      return 0;
    }
    InetAddress ip = stats.ip.get();
    for (IpSubnet subnet : params.ipColocationWhitelist()) {
      if (subnet.contains(ip)) {
        return 0;
      }
    }
    int surplus =
        peersByIp.getOrDefault(ip, Set.of()).size() - params.ipColocationFactorThreshold();
    return surplus > 0 ? (double) surplus * surplus : 0;
  }

  /**
   * Called every heartbeat: activates P3 for peers in mesh longer than the activation window,
   * applies decay for each elapsed decay interval, forgets expired retained peers.
   */
  public void refresh() {
    long now = nanos.getAsLong();
    long interval = params.decayInterval().toNanos();
    int decays = 0;
    while (now - lastDecay >= interval && decays < 1000) {
      lastDecay += interval;
      decays++;
    }
    if (now - lastDecay >= interval) {
      lastDecay = now;
    }
    Iterator<Map.Entry<PeerId, PeerStats>> it = peers.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<PeerId, PeerStats> entry = it.next();
      PeerStats stats = entry.getValue();
      if (!stats.connected && now - stats.expireAt >= 0) {
        stats.ip.ifPresent(ip -> removeIp(entry.getKey(), ip));
        it.remove();
        continue;
      }
      for (Map.Entry<String, TopicStats> e : stats.topics.entrySet()) {
        Optional<TopicScoreParams> maybe = params.topic(e.getKey());
        if (maybe.isEmpty()) {
          continue;
        }
        TopicScoreParams tp = maybe.get();
        TopicStats ts = e.getValue();
        if (ts.inMesh && now - ts.graftTime > tp.meshMessageDeliveriesActivation().toNanos()) {
          ts.meshDeliveriesActive = true;
        }
        for (int i = 0; i < decays; i++) {
          ts.firstMessageDeliveries =
              decay(ts.firstMessageDeliveries, tp.firstMessageDeliveriesDecay());
          ts.meshMessageDeliveries =
              decay(ts.meshMessageDeliveries, tp.meshMessageDeliveriesDecay());
          ts.meshFailurePenalty = decay(ts.meshFailurePenalty, tp.meshFailurePenaltyDecay());
          ts.invalidMessageDeliveries =
              decay(ts.invalidMessageDeliveries, tp.invalidMessageDeliveriesDecay());
        }
      }
      for (int i = 0; i < decays; i++) {
        stats.behaviourPenalty = decay(stats.behaviourPenalty, params.behaviourPenaltyDecay());
      }
    }
  }

  private double decay(double value, double factor) {
    double next = value * factor;
    return next < params.decayToZero() ? 0 : next;
  }

  private Optional<TopicStats> topicStats(PeerId peer, String topic) {
    PeerStats stats = peers.get(peer);
    if (stats == null || params.topic(topic).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(stats.topics.computeIfAbsent(topic, t -> new TopicStats()));
  }

  private void setIp(PeerId peer, PeerStats stats, Optional<InetAddress> ip) {
    stats.ip.ifPresent(old -> removeIp(peer, old));
    stats.ip = ip;
    ip.ifPresent(a -> peersByIp.computeIfAbsent(a, k -> new HashSet<>()).add(peer));
  }

  private void removeIp(PeerId peer, InetAddress ip) {
    Set<PeerId> set = peersByIp.get(ip);
    if (set != null) {
      set.remove(peer);
      if (set.isEmpty()) {
        peersByIp.remove(ip);
      }
    }
  }

  private void forget(PeerId peer, PeerStats stats) {
    stats.ip.ifPresent(ip -> removeIp(peer, ip));
    peers.remove(peer);
  }

  /** Number of peers with score state, connected or retained (a metric and a test hook). */
  public int trackedPeers() {
    return peers.size();
  }
}
