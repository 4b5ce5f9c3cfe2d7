package io.meshwork.networking.pubsub;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.pubsub.DeliveryRecords.Record;
import io.meshwork.networking.pubsub.DeliveryRecords.Status;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import io.meshwork.networking.pubsub.score.PeerScore;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gossipsub router (gossipsub-v1.0, v1.1, v1.2) as a sans-IO state machine: inputs are method
 * calls (peer added or removed, RPC received, publish, subscribe, heartbeat tick, validation
 * result), outputs go to the {@link RouterOutput}, time comes from the injected nanosecond clock
 * and randomness from the injected generator, so many routers can run in virtual time in one test.
 *
 * <p>Not thread-safe: every method must be called from one thread (the "router thread"), and the
 * output is called back synchronously on it.
 */
public final class GossipRouter {
  private static final Logger log = LoggerFactory.getLogger(GossipRouter.class);

  final GossipConfig config;
  final PeerId self;
  private final PrivateKey key;
  final LongSupplier nanos;
  final RandomGenerator random;
  final RouterOutput output;
  final Function<PeerId, Optional<byte[]>> peerRecords;

  final Map<PeerId, PeerState> peers = new HashMap<>();

  /** Topic to subscribed peers; each peer adds at most maxTopicsPerPeer keys. */
  final Map<String, Set<PeerId>> topicPeers = new HashMap<>();

  final Set<String> subscriptions = new LinkedHashSet<>();
  final Mesh mesh = new Mesh();
  final Fanout fanout = new Fanout();
  final MessageCache mcache;
  final SeenCache seen;
  final Backoff backoff = new Backoff();
  final GossipPromises promises = new GossipPromises();
  final DeliveryRecords deliveries;
  final PeerScore score;
  final Outbox outbox;
  private final MessagePipeline pipeline;

  /** Counters of topics we subscribe or publish to (our choice, so bounded). */
  private final Map<String, TopicMetrics.Counters> counters = new HashMap<>();

  private final ControlHandler control;
  private final Heartbeat heartbeat;
  private long seqno;
  long graylistedRpcs;
  long subscriptionFloods;

  /** Heartbeats run so far. */
  long ticks;

  /**
   * @param config parameters
   * @param key our identity key: the author of our messages, and their signer under StrictSign
   * @param nanos monotonic clock in nanoseconds
   * @param random randomness for peer selection (seed it for reproducible tests)
   * @param output where effects go
   * @param peerRecords signed peer records (marshalled envelopes) for peer exchange, if known
   */
  public GossipRouter(
      GossipConfig config,
      PrivateKey key,
      LongSupplier nanos,
      RandomGenerator random,
      RouterOutput output,
      Function<PeerId, Optional<byte[]>> peerRecords) {
    this.config = config;
    this.key = key;
    this.self = PeerId.fromPublicKey(key.publicKey());
    this.nanos = nanos;
    this.random = random;
    this.output = output;
    this.peerRecords = peerRecords;
    this.mcache = new MessageCache(config.mcacheLength(), config.mcacheGossip());
    this.seen = new SeenCache(config.seenTtl().toNanos(), config.maxSeenEntries());
    this.deliveries = new DeliveryRecords(config.seenTtl().toNanos(), config.maxSeenEntries());
    this.score = new PeerScore(config.scoreParams(), nanos);
    this.outbox = new Outbox(config.maxRpcSize());
    this.pipeline = new MessagePipeline(this);
    this.control = new ControlHandler(this);
    this.heartbeat = new Heartbeat(this);
    // A random start (63 bits) keeps a restarted node from reusing its earlier message ids
    // without reading the wall clock, so the router stays deterministic under a seeded generator.
    this.seqno = random.nextLong() >>> 1;
  }

  public PeerId localPeer() {
    return self;
  }

  // ---- inputs -------------------------------------------------------------------------------

  /** A peer with a gossipsub stream connected; we announce our subscriptions to it. */
  public void addPeer(
      PeerId peer, GossipProtocol protocol, boolean outbound, Optional<InetAddress> ip) {
    if (peers.containsKey(peer) || peer.equals(self)) {
      return;
    }
    peers.put(peer, new PeerState(peer, protocol, outbound, ip));
    score.addPeer(peer, ip);
    for (String topic : subscriptions) {
      outbox.subscription(peer, topic, true);
    }
    outbox.flush(output);
  }

  /**
   * Our outbound stream to a known peer was replaced by one on another connection (the old
   * connection closed): we announce our subscriptions on it as on any new stream, since the peer
   * may have dropped us with the old one. Announcing a known subscription again changes nothing.
   */
  public void announceSubscriptions(PeerId peer) {
    if (!peers.containsKey(peer)) {
      return;
    }
    for (String topic : subscriptions) {
      outbox.subscription(peer, topic, true);
    }
    outbox.flush(output);
  }

  /** A peer disconnected or its gossipsub streams closed. */
  public void removePeer(PeerId peer) {
    PeerState state = peers.remove(peer);
    if (state == null) {
      return;
    }
    for (String topic : state.topics) {
      removeTopicPeer(topic, peer);
    }
    for (String topic : mesh.topics()) {
      mesh.remove(topic, peer);
    }
    fanout.removePeer(peer);
    score.removePeer(peer);
  }

  /** An RPC arrived from a peer (already size-checked and decoded by {@link RpcCodec}). */
  public void handleRpc(PeerId from, RPC rpc) {
    PeerState state = peers.get(from);
    if (state == null) {
      return;
    }
    if (score.score(from) < config.scoreThresholds().graylistThreshold()) {
      // v1.1 "Score Thresholds": a graylisted peer's RPCs are ignored entirely.
      graylistedRpcs++;
      return;
    }
    handleSubscriptions(state, rpc.getSubscriptionsList());
    for (GossipsubProto.Message message : rpc.getPublishList()) {
      pipeline.handle(state, message);
    }
    if (rpc.hasControl()) {
      control.handle(state, rpc.getControl());
    }
    outbox.flush(output);
  }

  /** Subscribes to a topic: announces it to every peer and forms a mesh for it. */
  public void subscribe(String topic) {
    checkTopic(topic);
    if (!subscriptions.add(topic)) {
      return;
    }
    counters.computeIfAbsent(topic, t -> new TopicMetrics.Counters());
    for (PeerId peer : peers.keySet()) {
      outbox.subscription(peer, topic, true);
    }
    mesh.join(topic);
    // gossipsub-v1.0 "join": reuse fanout peers first, then fill up to D at random.
    List<PeerId> chosen = new ArrayList<>();
    for (PeerId p : fanout.take(topic)) {
      if (peers.containsKey(p) && score.score(p) >= 0 && !backoff.active(topic, p, now())) {
        chosen.add(p);
      }
    }
    if (chosen.size() < config.d()) {
      Set<PeerId> taken = new HashSet<>(chosen);
      chosen.addAll(
          selectPeers(
              topic,
              config.d() - chosen.size(),
              p ->
                  !taken.contains(p.id)
                      && score.score(p.id) >= 0
                      && !backoff.active(topic, p.id, now())));
    }
    for (PeerId p : chosen.subList(0, Math.min(chosen.size(), config.d()))) {
      graft(topic, p);
    }
    outbox.flush(output);
  }

  /** Unsubscribes: announces it and prunes the mesh with the unsubscribe backoff. */
  public void unsubscribe(String topic) {
    if (!subscriptions.remove(topic)) {
      return;
    }
    for (PeerId peer : peers.keySet()) {
      outbox.subscription(peer, topic, false);
    }
    long backoffNanos = config.unsubscribeBackoff().toNanos();
    for (PeerId p : mesh.leave(topic)) {
      score.prune(p, topic);
      backoff.add(topic, p, now(), backoffNanos);
      outbox.prune(p, prune(p, topic, true, backoffNanos));
    }
    outbox.flush(output);
  }

  /**
   * Publishes our own message. Under StrictSign it carries our peer id, a fresh seqno and our
   * signature. With flood publishing it goes to every topic peer above the publish threshold,
   * otherwise to the mesh or the fanout.
   *
   * @throws IllegalArgumentException if the data exceeds the maximum message size
   * @throws IllegalStateException if a message with the same id was seen recently
   */
  public MessageId publish(String topic, byte[] data) {
    checkTopic(topic);
    if (data.length > config.maxMessageSize()) {
      throw new IllegalArgumentException(
          "message of " + data.length + " bytes exceeds " + config.maxMessageSize());
    }
    GossipsubProto.Message.Builder b =
        GossipsubProto.Message.newBuilder().setTopic(topic).setData(ByteString.copyFrom(data));
    GossipsubProto.Message proto;
    if (config.signingPolicy(topic) == SigningPolicy.STRICT_SIGN) {
      b.setSeqno(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(++seqno).array()));
      proto = MessageSigning.sign(key, b);
    } else {
      proto = b.build();
    }
    PubsubMessage message = new PubsubMessage(proto);
    MessageId id = config.messageIdFunction(topic).idOf(message);
    long now = now();
    if (!seen.add(id, now)) {
      throw new IllegalStateException("duplicate message id " + id);
    }
    Record record = deliveries.create(id, topic, self, null, now);
    record.status = Status.VALID;
    record.validatedAt = now;
    mcache.put(id, message);
    counters.computeIfAbsent(topic, t -> new TopicMetrics.Counters()).published++;
    for (PeerId p : publishTargets(topic)) {
      outbox.message(p, message, false);
    }
    outbox.flush(output);
    return id;
  }

  private Set<PeerId> publishTargets(String topic) {
    double threshold = config.scoreThresholds().publishThreshold();
    Set<PeerId> targets = new LinkedHashSet<>();
    if (config.floodPublish()) {
      for (PeerId p : topicPeers.getOrDefault(topic, Set.of())) {
        if (score.score(p) >= threshold) {
          targets.add(p);
        }
      }
      return targets;
    }
    if (mesh.joined(topic)) {
      return new LinkedHashSet<>(mesh.peers(topic));
    }
    Set<PeerId> fan = fanout.published(topic, now());
    if (fan.isEmpty()) {
      fan.addAll(selectPeers(topic, config.d(), p -> score.score(p.id) >= threshold));
    }
    return new LinkedHashSet<>(fan);
  }

  /** Runs one heartbeat: mesh and fanout maintenance, gossip, cache shifts, score decay. */
  public void heartbeat() {
    heartbeat.run();
    outbox.flush(output);
  }

  /**
   * The answer of an asynchronous validator announced through {@link RouterOutput#awaitValidation}.
   */
  public void validationResult(MessageId id, ValidationResult result) {
    if (pipeline.validationResult(id, result)) {
      outbox.flush(output);
    }
  }

  /** Installs the validator of a topic, replacing any earlier one. */
  public void setValidator(String topic, MessageValidator validator) {
    pipeline.setValidator(topic, validator);
  }

  public void removeValidator(String topic) {
    pipeline.removeValidator(topic);
  }

  // ---- queries -------------------------------------------------------------------------------

  public Set<PeerId> meshPeers(String topic) {
    return Set.copyOf(mesh.peers(topic));
  }

  public Set<PeerId> topicPeers(String topic) {
    return Set.copyOf(topicPeers.getOrDefault(topic, Set.of()));
  }

  public Set<String> subscriptions() {
    return Set.copyOf(subscriptions);
  }

  public Set<PeerId> peers() {
    return Set.copyOf(peers.keySet());
  }

  public double score(PeerId peer) {
    return score.score(peer);
  }

  public Optional<TopicMetrics> metrics(String topic) {
    TopicMetrics.Counters c = counters.get(topic);
    return c == null ? Optional.empty() : Optional.of(c.snapshot(mesh.peers(topic).size()));
  }

  /** RPCs dropped because their sender was graylisted. */
  public long graylistedRpcs() {
    return graylistedRpcs;
  }

  public int pendingValidations() {
    return pipeline.pendingValidations();
  }

  public int seenCacheSize() {
    return seen.size();
  }

  // ---- internals -----------------------------------------------------------------------------

  long now() {
    return nanos.getAsLong();
  }

  long heartbeatTicks() {
    return ticks;
  }

  private void checkTopic(String topic) {
    if (topic.isEmpty() || topic.length() > config.maxTopicLength()) {
      throw new IllegalArgumentException("topic length must be 1.." + config.maxTopicLength());
    }
  }

  private void handleSubscriptions(PeerState state, List<RPC.SubOpts> subs) {
    if (subs.isEmpty()) {
      return;
    }
    if (subs.size() > config.maxSubscriptionsPerRpc()) {
      // A subscription flood: nothing in it is believed, and it costs the sender (P7).
      subscriptionFloods++;
      score.behaviourPenalty(state.id, 1);
      log.debug("{} sent {} subscriptions in one RPC; ignored", state.id, subs.size());
      return;
    }
    for (RPC.SubOpts sub : subs) {
      String topic = sub.getTopicid();
      if (!sub.hasTopicid() || topic.isEmpty() || topic.length() > config.maxTopicLength()) {
        continue;
      }
      if (sub.getSubscribe()) {
        if (state.topics.size() >= config.maxTopicsPerPeer() && !state.topics.contains(topic)) {
          subscriptionFloods++;
          score.behaviourPenalty(state.id, 1);
          continue;
        }
        if (state.topics.add(topic)) {
          topicPeers.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(state.id);
        }
      } else if (state.topics.remove(topic)) {
        removeTopicPeer(topic, state.id);
        if (mesh.remove(topic, state.id)) {
          score.prune(state.id, topic);
        }
        fanout.removePeer(topic, state.id);
      }
    }
  }

  private void removeTopicPeer(String topic, PeerId peer) {
    Set<PeerId> set = topicPeers.get(topic);
    if (set != null) {
      set.remove(peer);
      if (set.isEmpty()) {
        topicPeers.remove(topic);
      }
    }
  }

  TopicMetrics.Counters counters(String topic) {
    return counters.computeIfAbsent(topic, t -> new TopicMetrics.Counters());
  }

  /** Adds a peer to a topic mesh and sends it a GRAFT. */
  void graft(String topic, PeerId peer) {
    if (mesh.add(topic, peer)) {
      score.graft(peer, topic);
      outbox.graft(peer, topic);
    }
  }

  /** Builds a PRUNE; v1.1+ peers get the backoff and, if allowed, peer exchange. */
  GossipsubProto.ControlPrune prune(PeerId peer, String topic, boolean doPx, long backoffNanos) {
    GossipsubProto.ControlPrune.Builder b =
        GossipsubProto.ControlPrune.newBuilder().setTopicID(topic);
    PeerState state = peers.get(peer);
    if (state == null || !state.protocol.supportsPeerExchange()) {
      return b.build();
    }
    b.setBackoff(Math.max(1, backoffNanos / 1_000_000_000L));
    // v1.1: no PX towards negative peers, and only non-negative peers are offered.
    if (doPx && config.doPeerExchange() && score.score(peer) >= 0) {
      for (PeerId candidate :
          selectPeers(
              topic, config.prunePeers(), p -> !p.id.equals(peer) && score.score(p.id) >= 0)) {
        GossipsubProto.PeerInfo.Builder info =
            GossipsubProto.PeerInfo.newBuilder()
                .setPeerID(ByteString.copyFrom(candidate.toBytes()));
        peerRecords
            .apply(candidate)
            .ifPresent(r -> info.setSignedPeerRecord(ByteString.copyFrom(r)));
        b.addPeers(info);
      }
    }
    return b.build();
  }

  /** Up to {@code n} random connected peers subscribed to {@code topic} that pass the filter. */
  List<PeerId> selectPeers(String topic, int n, Predicate<PeerState> filter) {
    List<PeerId> out = new ArrayList<>();
    for (PeerId p : topicPeers.getOrDefault(topic, Set.of())) {
      PeerState state = peers.get(p);
      if (state != null && filter.test(state)) {
        out.add(p);
      }
    }
    shuffle(out);
    return out.size() <= n ? out : new ArrayList<>(out.subList(0, Math.max(0, n)));
  }

  <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, random.nextInt(i + 1));
    }
  }
}
