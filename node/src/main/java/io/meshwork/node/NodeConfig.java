package io.meshwork.node;

import io.meshwork.networking.multiformats.Multiaddr;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a node is told at start.
 *
 * @param listen addresses to listen on
 * @param bootstrap peers dialed at start (with {@code /p2p})
 * @param dataDir where the node keeps its state, if anywhere
 * @param api where the HTTP API listens, if at all (port 0 picks one)
 * @param subscribe gossip topics the node joins at start
 */
public record NodeConfig(
    List<Multiaddr> listen,
    List<Multiaddr> bootstrap,
    Optional<Path> dataDir,
    Optional<InetSocketAddress> api,
    List<String> subscribe) {
  public NodeConfig {
    listen = List.copyOf(listen);
    bootstrap = List.copyOf(bootstrap);
    subscribe = List.copyOf(subscribe);
    for (String topic : subscribe) {
      if (topic.isEmpty()) {
        throw new IllegalArgumentException("a gossip topic cannot be empty");
      }
    }
  }

  /** A node that joins no topic at start. */
  public NodeConfig(
      List<Multiaddr> listen,
      List<Multiaddr> bootstrap,
      Optional<Path> dataDir,
      Optional<InetSocketAddress> api) {
    this(listen, bootstrap, dataDir, api, List.of());
  }
}
