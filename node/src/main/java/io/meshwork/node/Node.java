package io.meshwork.node;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.node.api.ApiServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A running Meshwork node: a libp2p host and, if configured, the HTTP API. Built and started by
 * {@link NodeBuilder}; {@link #close()} stops everything.
 */
public final class Node implements AutoCloseable {
  private final Host host;
  private final List<Multiaddr> listenAddresses;
  private final Optional<ApiServer> api;

  Node(Host host, List<Multiaddr> listenAddresses, Optional<ApiServer> api) {
    this.host = host;
    this.listenAddresses = List.copyOf(listenAddresses);
    this.api = api;
  }

  public Host host() {
    return host;
  }

  /** The bound listen addresses, with {@code /p2p/<peer-id>}. */
  public List<Multiaddr> listenAddresses() {
    return listenAddresses;
  }

  public Optional<InetSocketAddress> apiAddress() {
    return api.map(ApiServer::address);
  }

  @Override
  public void close() {
    api.ifPresent(ApiServer::close);
    host.close();
  }
}
