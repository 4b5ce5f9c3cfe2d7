package io.meshwork.networking.transport;

import io.meshwork.networking.mux.yamux.YamuxConfig;
import java.time.Duration;

/**
 * How connections are upgraded.
 *
 * @param earlyMuxerNegotiation offer Yamux inside the Noise handshake (extensions); when off, or
 *     when the peer does not offer it, the muxer is agreed by multistream-select after the
 *     handshake
 * @param negotiationTimeout bound on each multistream-select negotiation
 * @param handshakeTimeout bound on the Noise handshake
 * @param upgradeTimeout bound on the whole upgrade, from TCP connect to a ready muxer
 */
public record UpgradeConfig(
    boolean earlyMuxerNegotiation,
    Duration negotiationTimeout,
    Duration handshakeTimeout,
    Duration upgradeTimeout,
    YamuxConfig yamux) {

  public static UpgradeConfig defaults() {
    return new UpgradeConfig(
        true,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(20),
        YamuxConfig.defaults());
  }

  public UpgradeConfig withEarlyMuxerNegotiation(boolean enabled) {
    return new UpgradeConfig(enabled, negotiationTimeout, handshakeTimeout, upgradeTimeout, yamux);
  }

  public UpgradeConfig withYamux(YamuxConfig config) {
    return new UpgradeConfig(
        earlyMuxerNegotiation, negotiationTimeout, handshakeTimeout, upgradeTimeout, config);
  }
}
