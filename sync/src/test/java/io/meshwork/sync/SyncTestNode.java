package io.meshwork.sync;

import io.meshwork.chain.Chain;
import io.meshwork.chain.ChainConfig;
import io.meshwork.chain.ImportResult;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.store.InMemoryKeyValueStore;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.pubsub.GossipConfig;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.reqresp.ReqResp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One chain node for the loopback tests: host, gossipsub, request/response, chain, chain sync. */
final class SyncTestNode implements AutoCloseable {
  final Host host;
  final GossipService gossip;
  final ReqResp reqResp;
  final Chain chain;
  final ChainSync sync;

  private SyncTestNode(
      Host host, GossipService gossip, ReqResp reqResp, Chain chain, ChainSync sync) {
    this.host = host;
    this.gossip = gossip;
    this.reqResp = reqResp;
    this.chain = chain;
    this.sync = sync;
  }

  /** Status refreshed every 3 s, so a lost announcement is caught up within the tests' waits. */
  static final SyncConfig TEST_CONFIG =
      SyncConfig.defaults().withStatusInterval(Duration.ofSeconds(3));

  static SyncTestNode start(GenesisConfig genesis) {
    return start(genesis, TEST_CONFIG);
  }

  static SyncTestNode start(GenesisConfig genesis, SyncConfig config) {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    Host host = new HostBuilder().identity(key).build();
    SyncProtocols protocols = SyncProtocols.of(genesis.networkId(), genesis.params());
    GossipConfig gossipConfig =
        ContentMessageIds.configure(
                GossipConfig.builder().heartbeatInterval(Duration.ofMillis(200)), protocols)
            .build();
    GossipService gossip =
        new GossipService(host, key, gossipConfig, 8L << 20, p -> Optional.empty());
    gossip.start();
    ReqResp reqResp = ReqResp.start(host);
    Chain chain =
        Chain.open(ChainConfig.defaults(genesis), new InMemoryKeyValueStore(), Clock.systemUTC());
    ChainSync sync = ChainSync.start(host, gossip, reqResp, chain, config);
    try {
      host.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new SyncTestNode(host, gossip, reqResp, chain, sync);
  }

  Multiaddr address() {
    return host.listenAddresses().get(0).withP2p(host.peerId().toBytes());
  }

  void connect(SyncTestNode other) {
    try {
      host.dial(other.address()).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("dialing " + other.address() + ": " + e, e);
    }
  }

  /** Mines one block on our head (the test network's proof of work is trivial) and imports it. */
  Block mine() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      Optional<Block> block = chain.produceBlock(1_000);
      if (block.isPresent()) {
        ImportResult result = chain.importBlock(block.get());
        if (result instanceof ImportResult.NewHead) {
          return block.get();
        }
        throw new IllegalStateException("mined block not adopted: " + result);
      }
    }
    throw new IllegalStateException("no block found");
  }

  long height() {
    return chain.headHeader().height();
  }

  @Override
  public void close() {
    sync.close();
    reqResp.close();
    gossip.close();
    host.close();
  }

  @Override
  public String toString() {
    return "node " + host.peerId().toBase58().substring(0, 16) + " at height " + height();
  }
}
