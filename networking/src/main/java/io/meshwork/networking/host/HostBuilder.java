package io.meshwork.networking.host;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.transport.UpgradeConfig;
import java.util.Objects;

/**
 * The one way to build a {@link Host}. By default the host serves identify, identify push, ping and
 * perf, with a fresh Ed25519 identity.
 */
public final class HostBuilder {
  private PrivateKey identity;
  private HostConfig config = HostConfig.defaults();

  public HostBuilder identity(PrivateKey key) {
    this.identity = Objects.requireNonNull(key);
    return this;
  }

  public HostBuilder config(HostConfig hostConfig) {
    this.config = Objects.requireNonNull(hostConfig);
    return this;
  }

  public HostBuilder earlyMuxerNegotiation(boolean enabled) {
    this.config = config.withUpgrade(config.upgrade().withEarlyMuxerNegotiation(enabled));
    return this;
  }

  public HostBuilder upgrade(UpgradeConfig upgrade) {
    this.config = config.withUpgrade(upgrade);
    return this;
  }

  public HostBuilder agentVersion(String agent) {
    this.config = config.withAgentVersion(agent);
    return this;
  }

  public Host build() {
    PrivateKey key = identity != null ? identity : PrivateKey.generate(KeyType.ED25519);
    BasicHost host = new BasicHost(key, config);
    StandardProtocols.install(host, config);
    return host;
  }
}
