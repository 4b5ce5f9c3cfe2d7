package io.meshwork.node;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEventListener;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.pubsub.GossipConfig;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.pubsub.ReceivedMessage;
import io.meshwork.node.api.ApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one way to build and start a {@link Node}, for the command line and for embedders. */
public final class NodeBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(NodeBuilder.class);
  private static final GossipConfig GOSSIP = GossipConfig.builder().build();

  /** Bound of each peer's gossip outbound queue. */
  private static final long GOSSIP_QUEUE_BYTES = 8L << 20;

  private final NodeConfig config;
  private final HostBuilder hostBuilder = new HostBuilder();
  private final List<NetworkEventListener> listeners = new ArrayList<>();
  private Consumer<ReceivedMessage> messageHandler = m -> {};
  private PrivateKey identity;

  public NodeBuilder(NodeConfig config) {
    this.config = Objects.requireNonNull(config);
  }

  /**
   * Subscribes {@code listener} to the node's events before it listens or dials, so no connection
   * event is missed.
   */
  public NodeBuilder onEvent(NetworkEventListener listener) {
    listeners.add(Objects.requireNonNull(listener));
    return this;
  }

  /** The node's identity key (host and gossip signing); a fresh Ed25519 key if not given. */
  public NodeBuilder identity(PrivateKey key) {
    this.identity = Objects.requireNonNull(key);
    return this;
  }

  /**
   * Receives the messages of the topics in {@link NodeConfig#subscribe()}, on the gossip delivery
   * thread (see {@link GossipService}): it must not block for long.
   */
  public NodeBuilder onMessage(Consumer<ReceivedMessage> handler) {
    this.messageHandler = Objects.requireNonNull(handler);
    return this;
  }

  /**
   * Starts the host and gossip (joining the configured topics), listens, starts the API and dials
   * the bootstrap peers (a failed bootstrap dial is logged, not fatal).
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
    // One key for the host and for gossip: StrictSign messages carry the host's peer id.
    PrivateKey key = identity != null ? identity : PrivateKey.generate(KeyType.ED25519);
    Host host = hostBuilder.identity(key).build();
    listeners.forEach(host::subscribe);
    GossipService gossip = null;
    try {
      gossip = new GossipService(host, key, GOSSIP, GOSSIP_QUEUE_BYTES, p -> Optional.empty());
      gossip.start();
      // Joined before dialing, so the first hello to each peer already announces the topics.
      for (String topic : config.subscribe()) {
        gossip.subscribe(topic, messageHandler);
      }
      for (Multiaddr address : config.listen()) {
        try {
          host.listen(address).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new NodeStartException("cannot listen on " + address + ": " + rootMessage(e), e);
        }
      }
      // What peers can dial: an unspecified address (0.0.0.0) stands for each interface's.
      List<Multiaddr> bound =
          host.listenAddresses().stream().map(a -> a.withP2p(host.peerId().toBytes())).toList();
      Optional<ApiServer> api = Optional.empty();
      if (config.api().isPresent()) {
        try {
          api =
              Optional.of(
                  ApiServer.start(
                      config.api().get(),
                      host,
                      gossip,
                      GOSSIP.maxMessageSize(),
                      HostConfig.DEFAULT_AGENT));
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
      return new Node(host, gossip, bound, api);
    } catch (RuntimeException e) {
      if (gossip != null) {
        gossip.close();
      }
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
