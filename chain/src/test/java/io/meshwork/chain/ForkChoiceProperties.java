package io.meshwork.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.consensus.ProofOfWork;
import io.meshwork.chain.genesis.Genesis;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.state.AccountState;
import io.meshwork.chain.state.StateTransition;
import io.meshwork.chain.store.InMemoryKeyValueStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random block trees imported in random orders: after every import the head carries the most
 * cumulative work among the blocks connected so far, and the head state equals a replay from
 * genesis along the canonical chain.
 */
class ForkChoiceProperties {

  /** A random tree: each block's parent is a random earlier block, gaps vary the difficulty. */
  private static List<Block> randomTree(BlockFactory factory, Random random, int size) {
    List<Block> all = new ArrayList<>(List.of(factory.genesis));
    for (int i = 0; i < size; i++) {
      // bias towards recent blocks so branches get deep, not just wide
      int index =
          all.size() - 1 - Math.min(all.size() - 1, (int) Math.abs(random.nextGaussian() * 4));
      Block parent = all.get(index);
      long gap = factory.spacing() / 3 + random.nextInt((int) factory.spacing() * 2);
      all.add(factory.child(parent, random.nextInt(4), random, gap));
    }
    return all.subList(1, all.size());
  }

  private static Map<Hash, BigInteger> cumulativeWork(BlockFactory factory, List<Block> blocks) {
    Map<Hash, BigInteger> work = new HashMap<>();
    work.put(factory.genesis.hash(), ProofOfWork.work(factory.genesis.header().difficultyBits()));
    for (Block block : blocks) { // parents precede children in creation order
      work.put(
          block.hash(),
          work.get(block.parent()).add(ProofOfWork.work(block.header().difficultyBits())));
    }
    return work;
  }

  @Property(tries = 25)
  void headIsAlwaysTheHeaviestConnectedBlockAndStateEqualsReplay(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int size) {
    Random random = new Random(seed);
    BlockFactory factory = new BlockFactory(4);
    List<Block> blocks = randomTree(factory, random, size);
    Map<Hash, BigInteger> work = cumulativeWork(factory, blocks);
    List<Block> order = new ArrayList<>(blocks);
    Collections.shuffle(order, random);

    Chain chain = Chain.open(factory.config(), new InMemoryKeyValueStore(), factory.clock());
    Set<Hash> imported = new HashSet<>();
    Set<Hash> connected = new HashSet<>(Set.of(factory.genesis.hash()));
    for (Block block : order) {
      chain.importBlock(block);
      imported.add(block.hash());
      boolean grew = true;
      while (grew) {
        grew = false;
        for (Block b : blocks) {
          if (imported.contains(b.hash())
              && !connected.contains(b.hash())
              && connected.contains(b.parent())) {
            connected.add(b.hash());
            grew = true;
          }
        }
      }
      BigInteger heaviest =
          connected.stream().map(work::get).max(BigInteger::compareTo).orElseThrow();
      assertThat(chain.headCumulativeWork()).isEqualTo(heaviest);
      assertThat(work.get(chain.head().hash())).isEqualTo(heaviest);
    }

    StateTransition transition = new StateTransition(factory.genesisConfig.params().minFee());
    AccountState replay = Genesis.state(factory.genesisConfig);
    for (long h = 1; h <= chain.head().height(); h++) {
      Block block = chain.blockAt(h).orElseThrow();
      assertThat(block.parent()).isEqualTo(chain.blockAt(h - 1).orElseThrow().hash());
      try {
        transition.apply(replay, block);
      } catch (Exception e) {
        throw new AssertionError("canonical block does not replay", e);
      }
    }
    assertThat(chain.accounts()).isEqualTo(replay.accounts());
    assertThat(chain.stats().orphans()).isZero();
  }

  @Property(tries = 15)
  void importOrderDoesNotChangeTheHeadsWork(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 25) int size) {
    Random random = new Random(seed);
    BlockFactory factory = new BlockFactory(3);
    List<Block> blocks = randomTree(factory, random, size);
    List<Block> reversed = new ArrayList<>(blocks);
    Collections.reverse(reversed);
    List<Block> shuffled = new ArrayList<>(blocks);
    Collections.shuffle(shuffled, random);

    BigInteger expected = null;
    for (List<Block> order : List.of(blocks, reversed, shuffled)) {
      Chain chain = Chain.open(factory.config(), new InMemoryKeyValueStore(), factory.clock());
      order.forEach(chain::importBlock);
      if (expected == null) {
        expected = chain.headCumulativeWork();
      }
      assertThat(chain.headCumulativeWork()).isEqualTo(expected);
      assertThat(chain.accounts()).isEqualTo(factory.stateAt(chain.head().hash()).accounts());
    }
  }
}
