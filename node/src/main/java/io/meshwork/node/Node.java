package io.meshwork.node;

import io.meshwork.chain.Chain;
import io.meshwork.chain.store.KeyValueStore;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.kad.KadDht;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.peers.PeerDataStore;
import io.meshwork.networking.peers.PeerManager;
import io.meshwork.networking.peers.pex.PexService;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.reqresp.ReqResp;
import io.meshwork.node.api.ApiServer;
import io.meshwork.sync.ChainSync;
import io.meshwork.sync.mining.MiningLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A running Meshwork node: a libp2p host, its gossipsub service, its Kademlia DHT (server mode),
 * peer exchange, the peer manager with its address book, its {@link Chain} (and, with mining on, a
 * {@link MiningLoop}) and, if configured, the HTTP API. Built and started by {@link NodeBuilder};
 * {@link #close()} stops everything. Thread-safe.
 */
public final class Node implements AutoCloseable {
  private final Host host;
  private final GossipService gossip;
  private final KadDht dht;
  private final PexService pex;
  private final PeerManager peers;
  private final PeerDataStore store;
  private final List<Multiaddr> listenAddresses;
  private final Optional<ApiServer> api;
  private final Chain chain;
  private final KeyValueStore chainStore;
  private final Optional<MiningLoop> miner;
  private final ReqResp reqResp;
  private final ChainSync sync;

  Node(
      Host host,
      GossipService gossip,
      KadDht dht,
      PexService pex,
      PeerManager peers,
      PeerDataStore store,
      List<Multiaddr> listenAddresses,
      Optional<ApiServer> api,
      Chain chain,
      KeyValueStore chainStore,
      Optional<MiningLoop> miner,
      ReqResp reqResp,
      ChainSync sync) {
    this.host = host;
    this.gossip = gossip;
    this.dht = dht;
    this.pex = pex;
    this.peers = peers;
    this.store = store;
    this.listenAddresses = List.copyOf(listenAddresses);
    this.api = api;
    this.chain = chain;
    this.chainStore = chainStore;
    this.miner = miner;
    this.reqResp = reqResp;
    this.sync = sync;
  }

  /**
   * What carries the chain over the network: gossip of transactions and blocks, compact block
   * relay, the chain's request/response protocols. Submit local transactions here (not to the chain
   * directly) so that they are gossiped.
   */
  public ChainSync chainSync() {
    return sync;
  }

  /** The node's chain; its store closes with the node. */
  public Chain chain() {
    return chain;
  }

  /** The mining loop, running, if the node mines. */
  public Optional<MiningLoop> miner() {
    return miner;
  }

  public Host host() {
    return host;
  }

  /** The node's gossipsub service, started; it closes with the node. */
  public GossipService gossip() {
    return gossip;
  }

  /** The node's Kademlia DHT, started in server mode; it closes with the node. */
  public KadDht dht() {
    return dht;
  }

  /** The node's peer manager: address book, outbound connections, anchors, bans. */
  public PeerManager peerManager() {
    return peers;
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
    miner.ifPresent(MiningLoop::close);
    peers.close(); // writes the address book, bans and anchors
    sync.close();
    reqResp.close();
    pex.close();
    dht.close();
    gossip.close();
    host.close();
    try {
      if (store instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("closing the address book store: " + e.getMessage(), e);
    } finally {
      chainStore.close(); // after the network and the miner: nothing imports any more
    }
  }
}
