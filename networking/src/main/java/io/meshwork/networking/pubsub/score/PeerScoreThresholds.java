package io.meshwork.networking.pubsub.score;

/**
 * Score thresholds (gossipsub v1.1, "Score Thresholds"), validated against the spec's constraints.
 *
 * @param gossipThreshold below it no gossip is emitted to or accepted from a peer; negative
 * @param publishThreshold below it our own messages are not flood-published to a peer
 * @param graylistThreshold below it every RPC of a peer is ignored
 * @param acceptPxThreshold PX from peers at or below it is ignored; non-negative
 * @param opportunisticGraftThreshold median mesh score below which we graft better peers
 */
public record PeerScoreThresholds(
    double gossipThreshold,
    double publishThreshold,
    double graylistThreshold,
    double acceptPxThreshold,
    double opportunisticGraftThreshold) {

  public static final PeerScoreThresholds DEFAULT = new PeerScoreThresholds(-10, -50, -80, 10, 1);

  public PeerScoreThresholds {
    if (!(gossipThreshold <= 0)) {
      throw new IllegalArgumentException("gossipThreshold must be <= 0");
    }
    if (!(publishThreshold <= gossipThreshold)) {
      throw new IllegalArgumentException("publishThreshold must be <= gossipThreshold");
    }
    if (!(graylistThreshold <= publishThreshold)) {
      throw new IllegalArgumentException("graylistThreshold must be <= publishThreshold");
    }
    if (acceptPxThreshold < 0 || opportunisticGraftThreshold < 0) {
      throw new IllegalArgumentException("acceptPx and opportunisticGraft thresholds must be >= 0");
    }
  }
}
