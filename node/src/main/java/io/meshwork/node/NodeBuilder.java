package io.meshwork.node;

import io.meshwork.chain.Chain;
import io.meshwork.chain.ChainConfig;
import io.meshwork.chain.ChainEvent;
import io.meshwork.chain.store.InMemoryKeyValueStore;
import io.meshwork.chain.store.KeyValueStore;
import io.meshwork.chain.store.RocksDbKeyValueStore;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.NetworkEventListener;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.kad.KadConfig;
import io.meshwork.networking.kad.KadDht;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.peers.AddressBookConfig;
import io.meshwork.networking.peers.PeerDataStore;
import io.meshwork.networking.peers.PeerManager;
import io.meshwork.networking.peers.PeerManagerConfig;
import io.meshwork.networking.peers.pex.PexConfig;
import io.meshwork.networking.peers.pex.PexService;
import io.meshwork.networking.pubsub.GossipConfig;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.pubsub.ReceivedMessage;
import io.meshwork.networking.reqresp.ReqResp;
import io.meshwork.node.api.ApiServer;
import io.meshwork.sync.ChainSync;
import io.meshwork.sync.ContentMessageIds;
import io.meshwork.sync.SyncConfig;
import io.meshwork.sync.SyncProtocols;
import io.meshwork.sync.mining.MiningLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
  private final List<Consumer<ChainEvent>> chainListeners = new ArrayList<>();
  private PrivateKey identity;
  private ChainConfig chainConfig;
  private SyncConfig syncConfig = SyncConfig.defaults();

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
   * Chain limits (reorganisation depth, orphans, mempool) other than {@link ChainConfig#defaults}.
   * The network stays the one of {@link NodeConfig#genesis()}: {@code config.genesis()} must equal
   * it, so the genesis has one home.
   */
  /** How blocks and transactions are relayed (compact blocks, batching); defaults if not given. */
  public NodeBuilder syncConfig(SyncConfig config) {
    this.syncConfig = Objects.requireNonNull(config);
    return this;
  }

  public NodeBuilder chainConfig(ChainConfig config) {
    if (!config.genesis().equals(this.config.genesis())) {
      throw new IllegalArgumentException(
          "chain config is for network "
              + config.genesis().networkId()
              + ", the node config for "
              + this.config.genesis().networkId());
    }
    this.chainConfig = config;
    return this;
  }

  /**
   * Subscribes {@code listener} to the chain's events before anything is imported. Called on the
   * importing thread (the miner's, later sync's) with the chain's lock held: it must not block and
   * must not wait for another thread that uses the chain.
   */
  public NodeBuilder onChainEvent(Consumer<ChainEvent> listener) {
    chainListeners.add(Objects.requireNonNull(listener));
    return this;
  }

  /**
   * Starts the host, gossip (joining the configured topics), the Kademlia DHT in server mode, peer
   * exchange and the peer manager, listens and starts the API. The peer manager owns dialing: it
   * reconnects the anchors remembered in {@code --data-dir} first, dials the bootstrap peers (with
   * backoff, so an unreachable one is retried, not fatal), and keeps the outbound target from the
   * address book that identify, the DHT, gossip PX and PEX feed. The first DHT server identified
   * triggers the DHT bootstrap (self lookup); its failure is logged, not fatal.
   *
   * <p>When every listen address is loopback (a local testnet, all peers on 127.0.0.1), the DHT
   * drops its address-diversity limits ({@link KadConfig#loopback()}) and the address book groups
   * peers by address and port ({@link AddressBookConfig#loopback()}); otherwise the defaults.
   *
   * @throws NodeStartException with a reason a person can act on
   */
  public Node start() {
    for (Multiaddr peer : config.bootstrap()) {
      if (peer.p2pMultihash().isEmpty()) {
        throw new NodeStartException(
            "bootstrap address " + peer + " must end with /p2p/<peer-id>", null);
      }
    }
    List<AutoCloseable> started = new ArrayList<>();
    try {
      // The chain first: a data directory of another network fails before any network starts.
      KeyValueStore chainStore = openChainStore();
      started.add(chainStore);
      Chain chain = openChain(chainStore);
      chainListeners.forEach(chain::subscribe);
      Optional<MiningLoop> miner = config.mining().map(mining -> new MiningLoop(chain, mining));
      PeerDataStore store = openStore();
      if (store instanceof AutoCloseable closeable) {
        started.add(closeable);
      }
      // One key for the host and for gossip: StrictSign messages carry the host's peer id.
      PrivateKey key = identity != null ? identity : PrivateKey.generate(KeyType.ED25519);
      Host host = hostBuilder.identity(key).build();
      started.add(host);
      listeners.forEach(host::subscribe);
      // Gossip PX carries the signed records identify gave us; the chain topics use content ids.
      SyncProtocols protocols = SyncProtocols.of(chain.networkId(), chain.params());
      GossipConfig gossipConfig =
          ContentMessageIds.configure(GOSSIP.toBuilder(), protocols).build();
      GossipService gossip =
          new GossipService(
              host, key, gossipConfig, GOSSIP_QUEUE_BYTES, host.peerStore()::signedPeerRecord);
      started.add(gossip);
      gossip.start();
      ReqResp reqResp = ReqResp.start(host);
      started.add(reqResp);
      // Before listening and dialing: the first connection already exchanges status.
      ChainSync sync = ChainSync.start(host, gossip, reqResp, chain, syncConfig);
      started.add(sync);
      // Joined before dialing, so the first hello to each peer already announces the topics.
      for (String topic : config.subscribe()) {
        gossip.subscribe(topic, messageHandler);
      }
      boolean loopback = allLoopback(config.listen());
      // Started before listening and dialing, so identify announces the DHT and PEX protocols
      // from the first connection on.
      KadDht dht =
          KadDht.create(
                  host, loopback ? KadConfig.loopback() : KadConfig.defaults(), KadDht.Mode.SERVER)
              .start();
      started.add(dht);
      bootstrapDhtOnFirstServer(host, dht);
      PexService pex = PexService.start(host, PexConfig.defaults());
      started.add(pex);
      pex.askOutboundPeers();
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
                      HostConfig.DEFAULT_AGENT,
                      chain,
                      sync,
                      miner));
        } catch (IOException e) {
          throw new NodeStartException(
              "cannot start the API on " + config.api().get() + ": " + e.getMessage(), e);
        }
        started.add(api.get());
      }
      PeerManager peers =
          PeerManager.start(host, peerManagerConfig(loopback), store, config.bootstrap());
      started.add(peers);
      api.ifPresent(a -> a.attach(peers));
      // Mining last: nothing above may wait on a chain listener.
      if (miner.isPresent()) {
        started.add(miner.get());
        miner.get().start();
        LOG.info(
            "mining on network {} for {} ({} hashes/s; blocks carry no reward yet)",
            config.genesis().networkId(),
            config.miner().map(Object::toString).orElse("no address"),
            config.mining().get().hashesPerSecond());
      }
      return new Node(
          host,
          gossip,
          dht,
          pex,
          peers,
          store,
          bound,
          api,
          chain,
          chainStore,
          miner,
          reqResp,
          sync);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  private KeyValueStore openChainStore() {
    if (config.dataDir().isEmpty()) {
      return new InMemoryKeyValueStore();
    }
    Path dir = config.dataDir().get().resolve("chain");
    try {
      // Its own database, beside the address book's (DIR/peers).
      return RocksDbKeyValueStore.open(dir, true);
    } catch (RuntimeException e) {
      throw new NodeStartException(
          "cannot open the chain database in " + dir + ": " + rootMessage(e), e);
    }
  }

  private Chain openChain(KeyValueStore store) {
    ChainConfig chain = chainConfig != null ? chainConfig : ChainConfig.defaults(config.genesis());
    try {
      return Chain.open(chain, store, Clock.systemUTC());
    } catch (IllegalStateException e) {
      // Chain.open refuses a store initialised with another genesis.
      throw new NodeStartException(
          "the chain in "
              + config.dataDir().map(d -> d.resolve("chain").toString()).orElse("memory")
              + " belongs to another network than '"
              + config.genesis().networkId()
              + "' ("
              + e.getMessage()
              + "); use its network or another --data-dir",
          e);
    } catch (RuntimeException e) {
      throw new NodeStartException("cannot open the chain: " + rootMessage(e), e);
    }
  }

  private PeerDataStore openStore() {
    if (config.dataDir().isEmpty()) {
      return PeerDataStore.inMemory();
    }
    Path dir = config.dataDir().get();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new NodeStartException(
          "cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
    try {
      // Its own database: the chain's keys must never meet the address book's.
      return RocksDbPeerDataStore.open(dir.resolve("peers"));
    } catch (RuntimeException e) {
      throw new NodeStartException(
          "cannot open the address book in " + dir.resolve("peers") + ": " + rootMessage(e), e);
    }
  }

  /**
   * Runs the DHT bootstrap once, when the first peer that serves the DHT has been identified (a
   * bootstrap peer, an anchor or whoever dials us first); later the DHT's own refresh keeps the
   * table filled.
   */
  private static void bootstrapDhtOnFirstServer(Host host, KadDht dht) {
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Subscription> subscription = new AtomicReference<>();
    subscription.set(
        host.subscribe(
            event -> {
              if (event instanceof NetworkEvent.PeerIdentified identified
                  && identified.protocols().contains(KadDht.PROTOCOL_ID)
                  && done.compareAndSet(false, true)) {
                Subscription self = subscription.get();
                if (self != null) { // null only if this event raced subscribe() returning
                  self.close();
                }
                dht.bootstrap()
                    .whenComplete(
                        (closest, e) -> {
                          if (e != null) {
                            LOG.warn("DHT bootstrap failed: {}", rootMessage(e));
                          } else {
                            LOG.info("DHT bootstrap done: {} closest peers", closest.size());
                          }
                        });
              }
            }));
  }

  /** Bitcoin Core's shape; on loopback each local node is its own address group. */
  static PeerManagerConfig peerManagerConfig(boolean loopback) {
    PeerManagerConfig defaults = PeerManagerConfig.defaults();
    return loopback ? defaults.withBook(AddressBookConfig.loopback()) : defaults;
  }

  private static void closeAll(List<AutoCloseable> started) {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} after a failed start: {}", started.get(i), e.toString());
      }
    }
  }

  /** Whether every listen address is loopback (a local testnet). */
  static boolean allLoopback(List<Multiaddr> listen) {
    return !listen.isEmpty()
        && listen.stream()
            .allMatch(
                a ->
                    a.toSocketAddress()
                        .map(s -> s.getAddress() != null && s.getAddress().isLoopbackAddress())
                        .orElse(false));
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
