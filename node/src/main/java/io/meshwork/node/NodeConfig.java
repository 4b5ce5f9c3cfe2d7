package io.meshwork.node;

import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Address;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.node.chain.DevNetwork;
import io.meshwork.sync.mining.MiningConfig;
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
 * @param genesis the network the node's chain belongs to ({@code --network}, {@code --genesis})
 * @param mining whether and how hard the node mines ({@code --mine}); empty: it does not
 * @param miner the address mining is recorded for ({@code --miner-key}); blocks carry no reward
 *     yet, so it is only logged
 */
public record NodeConfig(
    List<Multiaddr> listen,
    List<Multiaddr> bootstrap,
    Optional<Path> dataDir,
    Optional<InetSocketAddress> api,
    List<String> subscribe,
    GenesisConfig genesis,
    Optional<MiningConfig> mining,
    Optional<Address> miner) {
  public NodeConfig {
    listen = List.copyOf(listen);
    bootstrap = List.copyOf(bootstrap);
    subscribe = List.copyOf(subscribe);
    java.util.Objects.requireNonNull(genesis, "genesis");
    java.util.Objects.requireNonNull(mining, "mining");
    java.util.Objects.requireNonNull(miner, "miner");
    for (String topic : subscribe) {
      if (topic.isEmpty()) {
        throw new IllegalArgumentException("a gossip topic cannot be empty");
      }
    }
  }

  /** A node of the dev network that does not mine. */
  public NodeConfig(
      List<Multiaddr> listen,
      List<Multiaddr> bootstrap,
      Optional<Path> dataDir,
      Optional<InetSocketAddress> api,
      List<String> subscribe) {
    this(
        listen,
        bootstrap,
        dataDir,
        api,
        subscribe,
        DevNetwork.genesis(),
        Optional.empty(),
        Optional.empty());
  }

  /** This config with another network and mining setting. */
  public NodeConfig withChain(
      GenesisConfig newGenesis, Optional<MiningConfig> newMining, Optional<Address> newMiner) {
    return new NodeConfig(
        listen, bootstrap, dataDir, api, subscribe, newGenesis, newMining, newMiner);
  }

  /** A node of the dev network that joins no topic at start and does not mine. */
  public NodeConfig(
      List<Multiaddr> listen,
      List<Multiaddr> bootstrap,
      Optional<Path> dataDir,
      Optional<InetSocketAddress> api) {
    this(listen, bootstrap, dataDir, api, List.of());
  }
}
