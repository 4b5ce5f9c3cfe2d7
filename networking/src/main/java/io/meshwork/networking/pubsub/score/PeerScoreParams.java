package io.meshwork.networking.pubsub.score;

import io.meshwork.networking.crypto.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Peer score parameters (gossipsub v1.1, "Overview of New Parameters"). Build with {@link
 * #builder()}.
 *
 * @param topics explicit per-topic parameters
 * @param defaultTopicParams parameters for subscribed topics not in {@code topics}; empty means
 *     such topics do not count
 * @param topicScoreCap cap of the positive topic contribution; 0 for none
 * @param appSpecificScore P5 hook, called on the router thread; must be cheap
 * @param appSpecificWeight weight of P5, positive
 * @param ipColocationFactorWeight weight of P6, non-positive
 * @param ipColocationFactorThreshold peers per IP tolerated before P6 applies
 * @param ipColocationWhitelist subnets P6 ignores (e.g. 127.0.0.0/8 for loopback testnets)
 * @param behaviourPenaltyWeight weight of P7, non-positive
 * @param behaviourPenaltyThreshold P7 counter tolerated before the penalty applies
 * @param behaviourPenaltyDecay decay of the P7 counter
 * @param decayInterval how often counters decay
 * @param decayToZero counters below this become 0
 * @param retainScore how long a disconnected peer's score is remembered
 */
public record PeerScoreParams(
    Map<String, TopicScoreParams> topics,
    Optional<TopicScoreParams> defaultTopicParams,
    double topicScoreCap,
    ToDoubleFunction<PeerId> appSpecificScore,
    double appSpecificWeight,
    double ipColocationFactorWeight,
    int ipColocationFactorThreshold,
    List<IpSubnet> ipColocationWhitelist,
    double behaviourPenaltyWeight,
    double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay,
    Duration decayInterval,
    double decayToZero,
    Duration retainScore) {

  public PeerScoreParams {
    topics = Map.copyOf(topics);
    ipColocationWhitelist = List.copyOf(ipColocationWhitelist);
    if (appSpecificWeight < 0 || ipColocationFactorWeight > 0 || behaviourPenaltyWeight > 0) {
      throw new IllegalArgumentException(
          "need appSpecificWeight >= 0, ipColocationFactorWeight <= 0, behaviourPenaltyWeight <= 0");
    }
    if (ipColocationFactorThreshold < 1) {
      throw new IllegalArgumentException("ipColocationFactorThreshold must be at least 1");
    }
    if (!(behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1)) {
      throw new IllegalArgumentException("behaviourPenaltyDecay must be in (0, 1)");
    }
  }

  public Optional<TopicScoreParams> topic(String topic) {
    TopicScoreParams p = topics.get(topic);
    return p != null ? Optional.of(p) : defaultTopicParams;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The one way to build {@link PeerScoreParams}. Not thread-safe. */
  public static final class Builder {
    private Map<String, TopicScoreParams> topics = Map.of();
    private Optional<TopicScoreParams> defaultTopicParams = Optional.of(TopicScoreParams.DEFAULT);
    private double topicScoreCap = 0;
    private ToDoubleFunction<PeerId> appSpecificScore = peer -> 0;
    private double appSpecificWeight = 1;
    private double ipColocationFactorWeight = -5;
    private int ipColocationFactorThreshold = 3;
    // Loopback peers are processes on this machine, not sybils spread over an address: a
    // loopback testnet puts every peer on 127.0.0.1 and must not score them down for it.
    private List<IpSubnet> ipColocationWhitelist =
        List.of(IpSubnet.parse("127.0.0.0/8"), IpSubnet.parse("::1/128"));
    private double behaviourPenaltyWeight = -1;
    private double behaviourPenaltyThreshold = 0;
    private double behaviourPenaltyDecay = 0.99;
    private Duration decayInterval = Duration.ofSeconds(1);
    private double decayToZero = 0.01;
    private Duration retainScore = Duration.ofMinutes(10);

    private Builder() {}

    public Builder topics(Map<String, TopicScoreParams> v) {
      topics = v;
      return this;
    }

    public Builder defaultTopicParams(Optional<TopicScoreParams> v) {
      defaultTopicParams = v;
      return this;
    }

    public Builder topicScoreCap(double v) {
      topicScoreCap = v;
      return this;
    }

    public Builder appSpecificScore(ToDoubleFunction<PeerId> hook, double weight) {
      appSpecificScore = hook;
      appSpecificWeight = weight;
      return this;
    }

    public Builder ipColocation(double weight, int threshold, List<IpSubnet> whitelist) {
      ipColocationFactorWeight = weight;
      ipColocationFactorThreshold = threshold;
      ipColocationWhitelist = whitelist;
      return this;
    }

    public Builder behaviourPenalty(double weight, double threshold, double decay) {
      behaviourPenaltyWeight = weight;
      behaviourPenaltyThreshold = threshold;
      behaviourPenaltyDecay = decay;
      return this;
    }

    public Builder decay(Duration interval, double toZero) {
      decayInterval = interval;
      decayToZero = toZero;
      return this;
    }

    public Builder retainScore(Duration v) {
      retainScore = v;
      return this;
    }

    public PeerScoreParams build() {
      return new PeerScoreParams(
          topics,
          defaultTopicParams,
          topicScoreCap,
          appSpecificScore,
          appSpecificWeight,
          ipColocationFactorWeight,
          ipColocationFactorThreshold,
          ipColocationWhitelist,
          behaviourPenaltyWeight,
          behaviourPenaltyThreshold,
          behaviourPenaltyDecay,
          decayInterval,
          decayToZero,
          retainScore);
    }
  }
}
