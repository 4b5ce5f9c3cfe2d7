package io.meshwork.networking.pubsub.score;

import java.time.Duration;

/**
 * Per-topic score parameters P1 to P4 (gossipsub v1.1, "Topic Parameter Calculation and Decay").
 * Decay factors apply once per {@link PeerScoreParams#decayInterval()}. A weight of 0 disables a
 * parameter.
 */
public record TopicScoreParams(
    double topicWeight,
    double timeInMeshWeight,
    Duration timeInMeshQuantum,
    double timeInMeshCap,
    double firstMessageDeliveriesWeight,
    double firstMessageDeliveriesDecay,
    double firstMessageDeliveriesCap,
    double meshMessageDeliveriesWeight,
    double meshMessageDeliveriesDecay,
    double meshMessageDeliveriesThreshold,
    double meshMessageDeliveriesCap,
    Duration meshMessageDeliveriesActivation,
    Duration meshMessageDeliveriesWindow,
    double meshFailurePenaltyWeight,
    double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight,
    double invalidMessageDeliveriesDecay) {

  public TopicScoreParams {
    if (timeInMeshWeight < 0 || firstMessageDeliveriesWeight < 0) {
      throw new IllegalArgumentException("P1 and P2 weights must be >= 0");
    }
    if (meshMessageDeliveriesWeight > 0
        || meshFailurePenaltyWeight > 0
        || invalidMessageDeliveriesWeight > 0) {
      throw new IllegalArgumentException("P3, P3b and P4 weights must be <= 0");
    }
    if (meshMessageDeliveriesCap < meshMessageDeliveriesThreshold) {
      throw new IllegalArgumentException("meshMessageDeliveriesCap must be >= its threshold");
    }
    if (timeInMeshQuantum.isZero() || timeInMeshQuantum.isNegative()) {
      throw new IllegalArgumentException("timeInMeshQuantum must be positive");
    }
  }

  /**
   * Our default for any subscribed topic without explicit parameters: rewards time in mesh and
   * first deliveries a little, punishes invalid messages hard (three make a peer graylisted), and
   * leaves P3 off because it needs the topic's expected message rate.
   */
  public static final TopicScoreParams DEFAULT =
      new TopicScoreParams(
          1.0,
          0.01,
          Duration.ofSeconds(1),
          100,
          0.1,
          0.9,
          50,
          0,
          0.9,
          0,
          0,
          Duration.ofSeconds(10),
          Duration.ofMillis(10),
          0,
          0.9,
          -10,
          0.99);

  public TopicScoreParams withMeshDeliveries(
      double weight,
      double decay,
      double threshold,
      double cap,
      Duration activation,
      Duration window,
      double failurePenaltyWeight,
      double failurePenaltyDecay) {
    return new TopicScoreParams(
        topicWeight,
        timeInMeshWeight,
        timeInMeshQuantum,
        timeInMeshCap,
        firstMessageDeliveriesWeight,
        firstMessageDeliveriesDecay,
        firstMessageDeliveriesCap,
        weight,
        decay,
        threshold,
        cap,
        activation,
        window,
        failurePenaltyWeight,
        failurePenaltyDecay,
        invalidMessageDeliveriesWeight,
        invalidMessageDeliveriesDecay);
  }

  public TopicScoreParams withInvalidMessages(double weight, double decay) {
    return new TopicScoreParams(
        topicWeight,
        timeInMeshWeight,
        timeInMeshQuantum,
        timeInMeshCap,
        firstMessageDeliveriesWeight,
        firstMessageDeliveriesDecay,
        firstMessageDeliveriesCap,
        meshMessageDeliveriesWeight,
        meshMessageDeliveriesDecay,
        meshMessageDeliveriesThreshold,
        meshMessageDeliveriesCap,
        meshMessageDeliveriesActivation,
        meshMessageDeliveriesWindow,
        meshFailurePenaltyWeight,
        meshFailurePenaltyDecay,
        weight,
        decay);
  }
}
