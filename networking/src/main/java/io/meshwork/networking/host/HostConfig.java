package io.meshwork.networking.host;

import io.meshwork.networking.transport.UpgradeConfig;
import java.time.Duration;

/**
 * Host limits and timeouts.
 *
 * @param maxConnections connections beyond this are refused (inbound) or fail (outbound)
 * @param maxInboundConnections inbound connections beyond this are closed on accept
 * @param ioThreads Netty event loop threads
 * @param dialTimeout TCP connect timeout
 * @param streamNegotiationTimeout bound on multistream-select for each stream
 * @param agentVersion what identify tells peers we are
 */
public record HostConfig(
    int maxConnections,
    int maxInboundConnections,
    int ioThreads,
    Duration dialTimeout,
    Duration streamNegotiationTimeout,
    String agentVersion,
    UpgradeConfig upgrade) {

  public static final String DEFAULT_AGENT = "meshwork/0.1.0";

  public static HostConfig defaults() {
    return new HostConfig(
        512,
        384,
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        DEFAULT_AGENT,
        UpgradeConfig.defaults());
  }

  public HostConfig withUpgrade(UpgradeConfig config) {
    return new HostConfig(
        maxConnections,
        maxInboundConnections,
        ioThreads,
        dialTimeout,
        streamNegotiationTimeout,
        agentVersion,
        config);
  }

  public HostConfig withLimits(int maxConnections, int maxInboundConnections) {
    return new HostConfig(
        maxConnections,
        maxInboundConnections,
        ioThreads,
        dialTimeout,
        streamNegotiationTimeout,
        agentVersion,
        upgrade);
  }

  public HostConfig withAgentVersion(String agent) {
    return new HostConfig(
        maxConnections,
        maxInboundConnections,
        ioThreads,
        dialTimeout,
        streamNegotiationTimeout,
        agent,
        upgrade);
  }

  /** The same with {@code threads} event-loop threads (one keeps hundreds of hosts in a JVM). */
  public HostConfig withIoThreads(int threads) {
    return new HostConfig(
        maxConnections,
        maxInboundConnections,
        threads,
        dialTimeout,
        streamNegotiationTimeout,
        agentVersion,
        upgrade);
  }
}
