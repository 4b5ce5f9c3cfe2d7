package io.meshwork.node;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEventListener;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.kad.KadConfig;
import io.meshwork.networking.kad.KadDht;
import io.meshwork.networking.kad.KadPeer;
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
import java.util.concurrent.CompletableFuture;
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
   * Starts the host, gossip (joining the configured topics) and the Kademlia DHT in server mode,
   * listens, starts the API and dials the bootstrap peers (a failed bootstrap dial is logged, not
   * fatal). Once every bootstrap dial has ended, the peers reached are offered to the DHT and a DHT
   * bootstrap (self lookup) runs in the background; its failure is logged, not fatal.
   *
   * <p>The DHT uses {@link KadConfig#loopback()} (no address-diversity limits) when every listen
   * address is loopback, as in a 127.0.0.1 testnet where all peers share one address group;
   * otherwise {@link KadConfig#defaults()}.
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
    KadDht dht = null;
    try {
      gossip = new GossipService(host, key, GOSSIP, GOSSIP_QUEUE_BYTES, p -> Optional.empty());
      gossip.start();
      // Joined before dialing, so the first hello to each peer already announces the topics.
      for (String topic : config.subscribe()) {
        gossip.subscribe(topic, messageHandler);
      }
      // Started before listening and dialing, so identify announces the DHT protocol from the
      // first connection on and peers put us in their routing tables.
      dht = KadDht.create(host, kadConfig(config.listen()), KadDht.Mode.SERVER).start();
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
                      dht,
                      GOSSIP.maxMessageSize(),
                      HostConfig.DEFAULT_AGENT));
        } catch (IOException e) {
          throw new NodeStartException(
              "cannot start the API on " + config.api().get() + ": " + e.getMessage(), e);
        }
      }
      List<CompletableFuture<?>> dials = new ArrayList<>();
      KadDht kad = dht;
      for (Multiaddr peer : config.bootstrap()) {
        dials.add(
            host.dial(peer)
                // Identify would also offer it, but only if it lists the DHT protocol and only
                // later; a configured bootstrap peer is taken for a DHT server.
                .thenCompose(
                    c -> kad.addPeer(new KadPeer(c.remotePeerId(), List.of(peer.withoutP2p()))))
                .handle(
                    (insert, e) -> {
                      if (e != null) {
                        LOG.warn("bootstrap peer {} unreachable: {}", peer, rootMessage(e));
                      }
                      return null;
                    }));
      }
      if (!dials.isEmpty()) {
        CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
            .thenCompose(v -> kad.bootstrap())
            .whenComplete(
                (closest, e) -> {
                  if (e != null) {
                    LOG.warn("DHT bootstrap failed: {}", rootMessage(e));
                  } else {
                    LOG.info("DHT bootstrap done: {} closest peers", closest.size());
                  }
                });
      }
      return new Node(host, gossip, dht, bound, api);
    } catch (RuntimeException e) {
      if (dht != null) {
        dht.close();
      }
      if (gossip != null) {
        gossip.close();
      }
      host.close();
      throw e;
    }
  }

  /** Loopback settings when every listen address is loopback (a local testnet), else defaults. */
  static KadConfig kadConfig(List<Multiaddr> listen) {
    boolean allLoopback =
        !listen.isEmpty()
            && listen.stream()
                .allMatch(
                    a ->
                        a.toSocketAddress()
                            .map(s -> s.getAddress() != null && s.getAddress().isLoopbackAddress())
                            .orElse(false));
    return allLoopback ? KadConfig.loopback() : KadConfig.defaults();
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
