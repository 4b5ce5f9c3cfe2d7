package io.meshwork.networking.pubsub;

import io.meshwork.networking.pubsub.score.PeerScoreParams;
import io.meshwork.networking.pubsub.score.PeerScoreThresholds;
import java.time.Duration;
import java.util.Map;

/**
 * Gossipsub router parameters. Defaults follow gossipsub-v1.0/v1.1/v1.2 and the go/js values
 * summarised in wire-notes "Gossipsub"; DoS limits are ours. Build with {@link #builder()}.
 *
 * @param d target mesh degree
 * @param dLo low watermark: below it the heartbeat grafts
 * @param dHi high watermark: above it the heartbeat prunes
 * @param dLazy minimum number of peers to emit gossip to
 * @param dScore peers kept by score when pruning an oversubscribed mesh
 * @param dOut outbound connections kept in the mesh (v1.1, "Outbound Mesh Quotas"); below dLo, at
 *     most d/2
 * @param heartbeatInterval period of the heartbeat
 * @param mcacheLength history windows kept in the message cache
 * @param mcacheGossip history windows advertised in IHAVE
 * @param fanoutTtl fanout state kept for a topic after our last publish to it
 * @param seenTtl time a message id stays in the seen cache
 * @param maxSeenEntries bound of the seen cache (oldest evicted first)
 * @param gossipFactor share of eligible peers gossip is emitted to (v1.1, "Adaptive Gossip")
 * @param pruneBackoff backoff after a PRUNE
 * @param unsubscribeBackoff backoff sent in the PRUNEs of an unsubscribe
 * @param graftFloodThreshold a GRAFT this soon after our PRUNE earns an extra penalty
 * @param doPeerExchange whether our PRUNEs carry peers
 * @param prunePeers peers in a PRUNE's peer exchange, and the most we accept from one
 * @param floodPublish whether our own messages go to all topic peers above the publish threshold
 * @param opportunisticGraftTicks heartbeats between opportunistic grafts
 * @param opportunisticGraftPeers peers grafted opportunistically
 * @param gossipRetransmission times we answer an IWANT for one message to one peer
 * @param maxIHaveLength message ids advertised or requested per peer per heartbeat
 * @param maxIHaveMessages IHAVE messages accepted per peer per heartbeat
 * @param iwantFollowupTime time a peer has to deliver a message it advertised and we asked for
 * @param idontwantMessageThreshold messages larger than this (bytes of data) trigger IDONTWANT
 * @param maxIDontWantIds IDONTWANT ids accepted per peer per heartbeat
 * @param idontwantTtlTicks heartbeats an IDONTWANT id is remembered
 * @param maxRpcSize largest RPC we read or write (spec 1 MiB)
 * @param maxMessageSize largest message data we accept or publish
 * @param maxSubscriptionsPerRpc an RPC with more subscription changes is ignored and penalised
 * @param maxTopicsPerPeer topics remembered per peer; further subscriptions are ignored
 * @param maxTopicLength longest topic name accepted
 * @param maxPendingValidations asynchronous validations in flight; further messages are dropped
 * @param signingPolicy how messages are signed and checked
 * @param messageIdFunction default message id function
 * @param topicMessageIdFunctions per-topic message id functions
 * @param topicSigningPolicies per-topic signing policies, overriding {@code signingPolicy}
 * @param scoreParams peer scoring parameters
 * @param scoreThresholds score thresholds
 */
public record GossipConfig(
    int d,
    int dLo,
    int dHi,
    int dLazy,
    int dScore,
    int dOut,
    Duration heartbeatInterval,
    int mcacheLength,
    int mcacheGossip,
    Duration fanoutTtl,
    Duration seenTtl,
    int maxSeenEntries,
    double gossipFactor,
    Duration pruneBackoff,
    Duration unsubscribeBackoff,
    Duration graftFloodThreshold,
    boolean doPeerExchange,
    int prunePeers,
    boolean floodPublish,
    int opportunisticGraftTicks,
    int opportunisticGraftPeers,
    int gossipRetransmission,
    int maxIHaveLength,
    int maxIHaveMessages,
    Duration iwantFollowupTime,
    int idontwantMessageThreshold,
    int maxIDontWantIds,
    int idontwantTtlTicks,
    int maxRpcSize,
    int maxMessageSize,
    int maxSubscriptionsPerRpc,
    int maxTopicsPerPeer,
    int maxTopicLength,
    int maxPendingValidations,
    SigningPolicy signingPolicy,
    MessageIdFunction messageIdFunction,
    Map<String, MessageIdFunction> topicMessageIdFunctions,
    Map<String, SigningPolicy> topicSigningPolicies,
    PeerScoreParams scoreParams,
    PeerScoreThresholds scoreThresholds) {

  public GossipConfig {
    topicMessageIdFunctions = Map.copyOf(topicMessageIdFunctions);
    topicSigningPolicies = Map.copyOf(topicSigningPolicies);
    if (!(0 <= dLo && dLo <= d && d <= dHi)) {
      throw new IllegalArgumentException("need dLo <= d <= dHi");
    }
    if (dOut >= dLo && dLo > 0 || dOut > d / 2) {
      throw new IllegalArgumentException("dOut must be below dLo and at most d/2");
    }
    if (dScore > dHi) {
      throw new IllegalArgumentException("dScore must be at most dHi");
    }
    if (mcacheGossip > mcacheLength || mcacheGossip < 1) {
      throw new IllegalArgumentException("need 1 <= mcacheGossip <= mcacheLength");
    }
    if (maxMessageSize >= maxRpcSize) {
      throw new IllegalArgumentException("maxMessageSize must leave room for RPC framing");
    }
    if (signingPolicy == SigningPolicy.STRICT_NO_SIGN
        && messageIdFunction == MessageIdFunction.FROM_AND_SEQNO) {
      throw new IllegalArgumentException(
          "StrictNoSign messages have no from/seqno: configure a content-based message id function");
    }
    for (Map.Entry<String, SigningPolicy> e : topicSigningPolicies.entrySet()) {
      if (e.getValue() == SigningPolicy.STRICT_NO_SIGN
          && topicMessageIdFunctions.getOrDefault(e.getKey(), messageIdFunction)
              == MessageIdFunction.FROM_AND_SEQNO) {
        throw new IllegalArgumentException(
            "topic "
                + e.getKey()
                + " is StrictNoSign: give it a content-based message id function");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Message id function for a topic. */
  public MessageIdFunction messageIdFunction(String topic) {
    return topicMessageIdFunctions.getOrDefault(topic, messageIdFunction);
  }

  /**
   * Signing policy for a topic: {@link #signingPolicy()} unless the topic has its own (a topic
   * whose content authenticates itself, such as signed transactions or proof-of-work blocks, can
   * skip the per-message signature; every node of the topic must agree).
   */
  public SigningPolicy signingPolicy(String topic) {
    return topicSigningPolicies.getOrDefault(topic, signingPolicy);
  }

  /** The one way to build a {@link GossipConfig}. Not thread-safe. */
  public static final class Builder {
    private int d = 6, dLo = 5, dHi = 12, dLazy = 6, dScore = 4, dOut = 2;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private int mcacheLength = 5, mcacheGossip = 3;
    private Duration fanoutTtl = Duration.ofSeconds(60);
    private Duration seenTtl = Duration.ofMinutes(2);
    private int maxSeenEntries = 1 << 18;
    private double gossipFactor = 0.25;
    private Duration pruneBackoff = Duration.ofMinutes(1);
    private Duration unsubscribeBackoff = Duration.ofSeconds(10);
    private Duration graftFloodThreshold = Duration.ofSeconds(10);
    private boolean doPeerExchange = true;
    private int prunePeers = 16;
    private boolean floodPublish = true;
    private int opportunisticGraftTicks = 60, opportunisticGraftPeers = 2;
    private int gossipRetransmission = 3;
    private int maxIHaveLength = 5000, maxIHaveMessages = 10;
    private Duration iwantFollowupTime = Duration.ofSeconds(3);
    private int idontwantMessageThreshold = 1024, maxIDontWantIds = 1000, idontwantTtlTicks = 3;
    private int maxRpcSize = 1 << 20;
    private int maxMessageSize = (1 << 20) - 1024;
    private int maxSubscriptionsPerRpc = 256, maxTopicsPerPeer = 256, maxTopicLength = 256;
    private int maxPendingValidations = 4096;
    private SigningPolicy signingPolicy = SigningPolicy.STRICT_SIGN;
    private MessageIdFunction messageIdFunction = MessageIdFunction.FROM_AND_SEQNO;
    private Map<String, MessageIdFunction> topicMessageIdFunctions = Map.of();
    private Map<String, SigningPolicy> topicSigningPolicies = Map.of();
    private PeerScoreParams scoreParams = PeerScoreParams.builder().build();
    private PeerScoreThresholds scoreThresholds = PeerScoreThresholds.DEFAULT;

    private Builder() {}

    private Builder(GossipConfig c) {
      d = c.d;
      dLo = c.dLo;
      dHi = c.dHi;
      dLazy = c.dLazy;
      dScore = c.dScore;
      dOut = c.dOut;
      heartbeatInterval = c.heartbeatInterval;
      mcacheLength = c.mcacheLength;
      mcacheGossip = c.mcacheGossip;
      fanoutTtl = c.fanoutTtl;
      seenTtl = c.seenTtl;
      maxSeenEntries = c.maxSeenEntries;
      gossipFactor = c.gossipFactor;
      pruneBackoff = c.pruneBackoff;
      unsubscribeBackoff = c.unsubscribeBackoff;
      graftFloodThreshold = c.graftFloodThreshold;
      doPeerExchange = c.doPeerExchange;
      prunePeers = c.prunePeers;
      floodPublish = c.floodPublish;
      opportunisticGraftTicks = c.opportunisticGraftTicks;
      opportunisticGraftPeers = c.opportunisticGraftPeers;
      gossipRetransmission = c.gossipRetransmission;
      maxIHaveLength = c.maxIHaveLength;
      maxIHaveMessages = c.maxIHaveMessages;
      iwantFollowupTime = c.iwantFollowupTime;
      idontwantMessageThreshold = c.idontwantMessageThreshold;
      maxIDontWantIds = c.maxIDontWantIds;
      idontwantTtlTicks = c.idontwantTtlTicks;
      maxRpcSize = c.maxRpcSize;
      maxMessageSize = c.maxMessageSize;
      maxSubscriptionsPerRpc = c.maxSubscriptionsPerRpc;
      maxTopicsPerPeer = c.maxTopicsPerPeer;
      maxTopicLength = c.maxTopicLength;
      maxPendingValidations = c.maxPendingValidations;
      signingPolicy = c.signingPolicy;
      messageIdFunction = c.messageIdFunction;
      topicMessageIdFunctions = c.topicMessageIdFunctions;
      topicSigningPolicies = c.topicSigningPolicies;
      scoreParams = c.scoreParams;
      scoreThresholds = c.scoreThresholds;
    }

    /** Sets D, Dlo, Dhi together. */
    public Builder meshDegree(int d, int dLo, int dHi) {
      this.d = d;
      this.dLo = dLo;
      this.dHi = dHi;
      return this;
    }

    public Builder dLazy(int v) {
      dLazy = v;
      return this;
    }

    public Builder dScore(int v) {
      dScore = v;
      return this;
    }

    public Builder dOut(int v) {
      dOut = v;
      return this;
    }

    public Builder heartbeatInterval(Duration v) {
      heartbeatInterval = v;
      return this;
    }

    public Builder messageCache(int length, int gossip) {
      mcacheLength = length;
      mcacheGossip = gossip;
      return this;
    }

    public Builder fanoutTtl(Duration v) {
      fanoutTtl = v;
      return this;
    }

    public Builder seenTtl(Duration v) {
      seenTtl = v;
      return this;
    }

    public Builder maxSeenEntries(int v) {
      maxSeenEntries = v;
      return this;
    }

    public Builder gossipFactor(double v) {
      gossipFactor = v;
      return this;
    }

    public Builder pruneBackoff(Duration v) {
      pruneBackoff = v;
      return this;
    }

    public Builder unsubscribeBackoff(Duration v) {
      unsubscribeBackoff = v;
      return this;
    }

    public Builder graftFloodThreshold(Duration v) {
      graftFloodThreshold = v;
      return this;
    }

    public Builder peerExchange(boolean enabled, int peers) {
      doPeerExchange = enabled;
      prunePeers = peers;
      return this;
    }

    public Builder floodPublish(boolean v) {
      floodPublish = v;
      return this;
    }

    public Builder opportunisticGraft(int ticks, int peers) {
      opportunisticGraftTicks = ticks;
      opportunisticGraftPeers = peers;
      return this;
    }

    public Builder gossipRetransmission(int v) {
      gossipRetransmission = v;
      return this;
    }

    public Builder ihaveLimits(int maxIHaveLength, int maxIHaveMessages) {
      this.maxIHaveLength = maxIHaveLength;
      this.maxIHaveMessages = maxIHaveMessages;
      return this;
    }

    public Builder iwantFollowupTime(Duration v) {
      iwantFollowupTime = v;
      return this;
    }

    /** IDONTWANT for data above {@code threshold} bytes; {@code Integer.MAX_VALUE} disables it. */
    public Builder idontwant(int threshold, int maxIdsPerHeartbeat, int ttlTicks) {
      idontwantMessageThreshold = threshold;
      maxIDontWantIds = maxIdsPerHeartbeat;
      idontwantTtlTicks = ttlTicks;
      return this;
    }

    public Builder maxRpcSize(int v) {
      maxRpcSize = v;
      return this;
    }

    public Builder maxMessageSize(int v) {
      maxMessageSize = v;
      return this;
    }

    public Builder subscriptionLimits(int perRpc, int perPeer, int maxTopicLength) {
      maxSubscriptionsPerRpc = perRpc;
      maxTopicsPerPeer = perPeer;
      this.maxTopicLength = maxTopicLength;
      return this;
    }

    public Builder maxPendingValidations(int v) {
      maxPendingValidations = v;
      return this;
    }

    public Builder signingPolicy(SigningPolicy v) {
      signingPolicy = v;
      return this;
    }

    public Builder messageIdFunction(MessageIdFunction v) {
      messageIdFunction = v;
      return this;
    }

    public Builder topicMessageIdFunctions(Map<String, MessageIdFunction> v) {
      topicMessageIdFunctions = v;
      return this;
    }

    public Builder topicSigningPolicies(Map<String, SigningPolicy> v) {
      topicSigningPolicies = v;
      return this;
    }

    public Builder scoreParams(PeerScoreParams v) {
      scoreParams = v;
      return this;
    }

    public Builder scoreThresholds(PeerScoreThresholds v) {
      scoreThresholds = v;
      return this;
    }

    public GossipConfig build() {
      return new GossipConfig(
          d,
          dLo,
          dHi,
          dLazy,
          dScore,
          dOut,
          heartbeatInterval,
          mcacheLength,
          mcacheGossip,
          fanoutTtl,
          seenTtl,
          maxSeenEntries,
          gossipFactor,
          pruneBackoff,
          unsubscribeBackoff,
          graftFloodThreshold,
          doPeerExchange,
          prunePeers,
          floodPublish,
          opportunisticGraftTicks,
          opportunisticGraftPeers,
          gossipRetransmission,
          maxIHaveLength,
          maxIHaveMessages,
          iwantFollowupTime,
          idontwantMessageThreshold,
          maxIDontWantIds,
          idontwantTtlTicks,
          maxRpcSize,
          maxMessageSize,
          maxSubscriptionsPerRpc,
          maxTopicsPerPeer,
          maxTopicLength,
          maxPendingValidations,
          signingPolicy,
          messageIdFunction,
          topicMessageIdFunctions,
          topicSigningPolicies,
          scoreParams,
          scoreThresholds);
    }
  }
}
