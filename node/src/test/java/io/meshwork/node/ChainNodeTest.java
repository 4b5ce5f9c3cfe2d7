package io.meshwork.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.ChainConfig;
import io.meshwork.chain.ChainEvent;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.node.chain.DevNetwork;
import io.meshwork.sync.mining.MiningConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainNodeTest {
  private static final List<Multiaddr> LISTEN =
      List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));

  private static NodeConfig config(Optional<Path> dataDir) {
    return new NodeConfig(LISTEN, List.of(), dataDir, Optional.empty());
  }

  @Test
  void aNodeRunsTheDevChainInMemoryByDefault() {
    try (Node node = new NodeBuilder(config(Optional.empty())).start()) {
      assertThat(node.chain().headHeader().height()).isZero();
      assertThat(node.chain().accounts()).hasSize(DevNetwork.ACCOUNTS);
      assertThat(node.miner()).isEmpty();
    }
  }

  @Test
  void aMiningNodeProducesBlocksAndTellsChainListeners() throws Exception {
    NodeConfig mining =
        config(Optional.empty())
            .withChain(
                GenesisConfig.forTests(Map.of()),
                Optional.of(new MiningConfig(10_000, Duration.ofMillis(50))),
                Optional.of(DevNetwork.accountKey(0).address()));
    CountDownLatch twoHeads = new CountDownLatch(2);
    try (Node node =
        new NodeBuilder(mining)
            .onChainEvent(
                e -> {
                  if (e instanceof ChainEvent.HeadChanged) {
                    twoHeads.countDown();
                  }
                })
            .start()) {
      assertThat(twoHeads.await(20, TimeUnit.SECONDS)).isTrue();
      // The listener runs inside the import, before the loop counts the block: check the chain.
      assertThat(node.chain().headHeader().height()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void theChainPersistsInTheDataDirBesideThePeersAndRefusesAnotherNetwork(@TempDir Path dir)
      throws Exception {
    try (Node node = new NodeBuilder(config(Optional.of(dir))).start()) {
      var block = node.chain().produceBlock(1_000_000).orElseThrow();
      node.chain().importBlock(block);
    }
    assertThat(Files.isDirectory(dir.resolve("chain"))).isTrue();
    assertThat(Files.isDirectory(dir.resolve("peers"))).isTrue();
    try (Node again = new NodeBuilder(config(Optional.of(dir))).start()) {
      assertThat(again.chain().headHeader().height()).isEqualTo(1);
    }
    NodeConfig other =
        config(Optional.of(dir))
            .withChain(GenesisConfig.forTests(Map.of()), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> new NodeBuilder(other).start())
        .isInstanceOf(NodeBuilder.NodeStartException.class)
        .hasMessageContaining("belongs to another network than 'meshwork-test'");
    // The failed start released the databases: the right network opens again.
    try (Node again = new NodeBuilder(config(Optional.of(dir))).start()) {
      assertThat(again.chain().headHeader().height()).isEqualTo(1);
    }
  }

  @Test
  void aChainConfigMustBeForTheNodesNetwork() {
    NodeBuilder builder = new NodeBuilder(config(Optional.empty()));
    assertThatThrownBy(
            () -> builder.chainConfig(ChainConfig.defaults(GenesisConfig.forTests(Map.of()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("network");
    builder.chainConfig(ChainConfig.defaults(DevNetwork.genesis()).withMaxReorgDepth(10));
  }
}
