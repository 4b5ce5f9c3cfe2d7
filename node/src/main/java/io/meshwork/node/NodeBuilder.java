package io.meshwork.node;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.node.api.ApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one way to build and start a {@link Node}, for the command line and for embedders. */
public final class NodeBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(NodeBuilder.class);
  private final NodeConfig config;
  private final HostBuilder hostBuilder = new HostBuilder();

  public NodeBuilder(NodeConfig config) {
    this.config = Objects.requireNonNull(config);
  }

  public NodeBuilder identity(PrivateKey key) {
    hostBuilder.identity(key);
    return this;
  }

  /**
   * Starts the host, listens, starts the API and dials the bootstrap peers (a failed bootstrap dial
   * is logged, not fatal).
   *
   * @throws NodeStartException with a reason a person can act on
   */
  public Node start() {
    if (config.dataDir().isPresent()) {
      try {
        Files.createDirectories(config.dataDir().get());
      } catch (IOException e) {
        throw new NodeStartException(
            "cannot create data directory " + config.dataDir().get() + ": " + e.getMessage(), e);
      }
    }
    Host host = hostBuilder.build();
    try {
      List<Multiaddr> bound = new ArrayList<>();
      for (Multiaddr address : config.listen()) {
        try {
          Multiaddr actual = host.listen(address).get(10, TimeUnit.SECONDS);
          bound.add(actual.withP2p(host.peerId().toBytes()));
        } catch (Exception e) {
          throw new NodeStartException("cannot listen on " + address + ": " + rootMessage(e), e);
        }
      }
      Optional<ApiServer> api = Optional.empty();
      if (config.api().isPresent()) {
        try {
          api = Optional.of(ApiServer.start(config.api().get(), host, HostConfig.DEFAULT_AGENT));
        } catch (IOException e) {
          throw new NodeStartException(
              "cannot start the API on " + config.api().get() + ": " + e.getMessage(), e);
        }
      }
      for (Multiaddr peer : config.bootstrap()) {
        host.dial(peer)
            .whenComplete(
                (c, e) -> {
                  if (e != null) {
                    LOG.warn("bootstrap peer {} unreachable: {}", peer, rootMessage(e));
                  }
                });
      }
      return new Node(host, bound, api);
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException
            || t.getMessage() == null)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** The node could not start; the message says why. */
  public static final class NodeStartException extends RuntimeException {
    public NodeStartException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
