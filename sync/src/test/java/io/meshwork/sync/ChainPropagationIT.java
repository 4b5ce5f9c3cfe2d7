package io.meshwork.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.genesis.Genesis;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.networking.testsupport.Eventually;
import io.meshwork.sync.mining.MiningConfig;
import io.meshwork.sync.mining.MiningLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Blocks and transactions travel between chain nodes over loopback (gossip, compact blocks). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChainPropagationIT {
  private static final GenesisConfig GENESIS = TestChains.genesis("synctest");
  private static final Hash GENESIS_HASH = Genesis.block(GENESIS).hash();
  private final List<SyncTestNode> nodes = new ArrayList<>();
  private final List<MiningLoop> miners = new ArrayList<>();

  @AfterEach
  void stop() {
    miners.forEach(MiningLoop::close);
    nodes.parallelStream().forEach(SyncTestNode::close);
  }

  private List<SyncTestNode> start(int count, SyncConfig config) {
    List<SyncTestNode> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SyncTestNode node = SyncTestNode.start(GENESIS, config);
      nodes.add(node);
      started.add(node);
    }
    return started;
  }

  /** A ring with chords: every node has at least two peers and the diameter stays small. */
  private static void ring(List<SyncTestNode> ring) {
    for (int i = 0; i < ring.size(); i++) {
      ring.get(i).connect(ring.get((i + 1) % ring.size()));
      if (ring.size() > 4 && i % 2 == 0) {
        ring.get(i).connect(ring.get((i + ring.size() / 2) % ring.size()));
      }
    }
    awaitMeshes(ring);
  }

  private static void awaitMeshes(List<SyncTestNode> group) {
    Eventually.holds(
        Duration.ofSeconds(20),
        () -> {
          for (SyncTestNode node : group) {
            assertThat(node.gossip.meshPeers(node.sync.protocols().blockTopic()).join())
                .as("block mesh of %s", node)
                .isNotEmpty();
            assertThat(node.gossip.meshPeers(node.sync.protocols().txTopic()).join())
                .as("tx mesh of %s", node)
                .isNotEmpty();
          }
        });
  }

  private static void awaitSameHead(List<SyncTestNode> group, Duration timeout) {
    Eventually.holds(
        timeout,
        () -> {
          Set<Hash> heads = new HashSet<>();
          group.forEach(n -> heads.add(n.chain.headHeader().hash()));
          assertThat(heads).as("heads of %s", group).hasSize(1);
        });
  }

  @Test
  void threeMinersAndSevenNodesConvergeOnOneHead() {
    List<SyncTestNode> all = start(10, SyncTestNode.TEST_CONFIG);
    ring(all);
    for (int i = 0; i < 3; i++) {
      miners.add(
          new MiningLoop(all.get(i * 3).chain, new MiningConfig(200, Duration.ofMillis(20)))
              .start());
    }
    Eventually.holds(
        Duration.ofSeconds(60),
        () -> all.forEach(n -> assertThat(n.height()).as("%s", n).isGreaterThanOrEqualTo(15)));
    miners.forEach(MiningLoop::close);
    // Competing miners can leave two tips of equal work (each node keeps the one it saw first),
    // and a block still in flight from a miner can tie with the first block mined after; as in
    // any proof-of-work chain, the next block settles it. With the miners stopped, at most two.
    Block tieBreaker = all.get(5).mine();
    try {
      awaitSameHead(all, Duration.ofSeconds(10));
    } catch (AssertionError tiedAgain) {
      tieBreaker = all.get(5).mine();
      awaitSameHead(all, Duration.ofSeconds(30));
    }
    assertThat(all.get(0).chain.headHeader().hash()).isEqualTo(tieBreaker.hash());
    long mined = miners.stream().mapToLong(MiningLoop::blocksMined).sum();
    assertThat(mined).isGreaterThanOrEqualTo(15);
    assertThat(all.get(9).sync.metrics().blocksAccepted()).isPositive();
  }

  @Test
  void transactionSubmittedToOneNodeIsMinedAndSeenByAll() {
    List<SyncTestNode> all = start(6, SyncTestNode.TEST_CONFIG);
    ring(all);
    Transaction tx = TestChains.transfer(GENESIS_HASH, 1, 2, 12_345, 0);
    assertThat(all.get(4).sync.submit(tx))
        .isInstanceOf(io.meshwork.chain.mempool.Mempool.Added.class);
    Eventually.holds(
        () ->
            all.forEach(
                n -> assertThat(n.chain.mempoolTransaction(tx.id())).as("%s", n).isPresent()));
    Block block = all.get(0).mine();
    assertThat(block.transactions()).contains(tx);
    awaitSameHead(all, Duration.ofSeconds(15));
    for (SyncTestNode n : all) {
      assertThat(n.chain.account(TestChains.KEYS.get(2).address()).balance())
          .isEqualTo(TestChains.BALANCE + 12_345);
      assertThat(n.chain.mempoolTransaction(tx.id())).isEmpty();
    }
    // Every receiver had the transaction: the compact block was rebuilt without a round trip.
    long rebuilt = all.stream().mapToLong(n -> n.sync.metrics().compactWithoutRoundTrip()).sum();
    assertThat(rebuilt).isEqualTo(all.size() - 1);
  }

  @Test
  void compactBlockMissingATransactionIsRepairedFromTheSender() {
    // The miner holds back its own transaction from gossip (long linger) but thinks peers have
    // it (no freshness window), so its compact block omits it: receivers must ask for it.
    SyncConfig holdBack =
        new SyncConfig(
            BlockRelayMode.COMPACT,
            Duration.ofMinutes(10),
            256,
            256 << 10,
            Duration.ZERO,
            256,
            32L << 20,
            1_024,
            Duration.ofSeconds(3));
    SyncTestNode miner = SyncTestNode.start(GENESIS, holdBack);
    nodes.add(miner);
    List<SyncTestNode> others = start(3, SyncTestNode.TEST_CONFIG);
    List<SyncTestNode> all = new ArrayList<>(others);
    all.add(0, miner);
    ring(all);
    // Index 0 is always sent whole; the second transaction is the one receivers must fetch.
    Transaction first = TestChains.transfer(GENESIS_HASH, 3, 4, 700, 0);
    Transaction second = TestChains.transfer(GENESIS_HASH, 3, 4, 77, 1);
    miner.sync.submit(first);
    miner.sync.submit(second);
    Block block = miner.mine();
    assertThat(block.transactions()).containsExactly(first, second);
    awaitSameHead(all, Duration.ofSeconds(15));
    long repaired = others.stream().mapToLong(n -> n.sync.metrics().compactWithRoundTrip()).sum();
    assertThat(repaired).isPositive();
    others.forEach(
        n ->
            assertThat(n.chain.account(TestChains.KEYS.get(4).address()).balance())
                .isEqualTo(TestChains.BALANCE + 777));
  }

  @Test
  void fullBlockRelayAlsoConverges() {
    List<SyncTestNode> all = start(4, SyncTestNode.TEST_CONFIG.withRelayMode(BlockRelayMode.FULL));
    ring(all);
    for (int i = 0; i < 5; i++) {
      all.get(i % all.size()).mine();
      awaitSameHead(all, Duration.ofSeconds(15));
    }
    assertThat(all.get(0).height()).isEqualTo(5);
    assertThat(all.stream().mapToLong(n -> n.sync.metrics().compactWithoutRoundTrip()).sum())
        .isZero();
  }

  @Test
  void halvesMinedApartReorganiseToTheHeavierChainWhenJoined() {
    List<SyncTestNode> left = start(3, SyncTestNode.TEST_CONFIG);
    List<SyncTestNode> right = start(3, SyncTestNode.TEST_CONFIG);
    ring(left);
    ring(right);
    Transaction leftOnly = TestChains.transfer(GENESIS_HASH, 5, 6, 55, 0);
    left.get(1).sync.submit(leftOnly);
    Eventually.holds(
        () -> left.forEach(n -> assertThat(n.chain.mempoolTransaction(leftOnly.id())).isPresent()));
    for (int i = 0; i < 3; i++) {
      left.get(0).mine();
    }
    for (int i = 0; i < 8; i++) {
      right.get(0).mine();
    }
    awaitSameHead(left, Duration.ofSeconds(15));
    awaitSameHead(right, Duration.ofSeconds(15));
    assertThat(left.get(2).chain.mempoolTransaction(leftOnly.id())).isEmpty();
    Hash heavier = right.get(0).chain.headHeader().hash();

    left.get(2).connect(right.get(2));
    List<SyncTestNode> all = new ArrayList<>(left);
    all.addAll(right);
    awaitSameHead(all, Duration.ofSeconds(30));
    assertThat(left.get(0).chain.headHeader().hash()).isEqualTo(heavier);
    assertThat(left.get(0).sync.metrics().reorgs()).isPositive();
    // The losing side's transaction is pending there again, and the next block carries it to all.
    Eventually.holds(
        () ->
            left.forEach(
                n ->
                    assertThat(n.chain.mempoolTransaction(leftOnly.id())).as("%s", n).isPresent()));
    Block next = left.get(0).mine();
    assertThat(next.transactions()).contains(leftOnly);
    awaitSameHead(all, Duration.ofSeconds(15));
    all.forEach(
        n ->
            assertThat(n.chain.account(TestChains.KEYS.get(6).address()).balance())
                .as("%s", n)
                .isEqualTo(TestChains.BALANCE + 55));
  }
}
