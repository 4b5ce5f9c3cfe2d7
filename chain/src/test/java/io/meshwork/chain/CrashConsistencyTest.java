package io.meshwork.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.store.ChainStore;
import io.meshwork.chain.store.InMemoryKeyValueStore;
import io.meshwork.chain.store.KeyValueStore;
import io.meshwork.chain.store.RocksDbKeyValueStore;
import io.meshwork.chain.store.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes the store at every write of a scenario (extension, side branch, reorganisation, an
 * invalid block), reopens, and checks the chain is consistent and can finish the import.
 */
class CrashConsistencyTest {
  private final BlockFactory factory = new BlockFactory(4);
  private final List<Block> scenario = new ArrayList<>();
  private final Block expectedHead;

  CrashConsistencyTest() {
    Random random = new Random(7);
    List<Block> main = factory.branch(factory.genesis, 4, 3, random, factory.spacing());
    List<Block> fork = factory.branch(main.get(0), 5, 3, random, factory.spacing());
    Block bad =
        factory.rawChild(
            fork.get(4),
            List.of(),
            Hash.ZERO,
            fork.get(4).header().timestampMillis() + 1000,
            factory.nextBits(fork.get(4)));
    scenario.addAll(main);
    scenario.addAll(fork);
    scenario.add(bad);
    expectedHead = fork.get(4);
  }

  private int importUntilCrash(KeyValueStore store) {
    try {
      Chain chain = Chain.open(factory.config(), store, factory.clock());
      for (Block block : scenario) {
        chain.importBlock(block);
      }
      return -1;
    } catch (StorageException expected) {
      return 0;
    }
  }

  private void assertConsistentAndFinish(KeyValueStore store) {
    Chain chain = Chain.open(factory.config(), store, factory.clock());
    Block head = chain.head();
    ChainStore chainStore = new ChainStore(store, 10_000);
    for (long h = head.height(); h > 0; h--) {
      Block block = chain.blockAt(h).orElseThrow();
      assertThat(chain.blockAt(h - 1).orElseThrow().hash()).isEqualTo(block.parent());
      assertThat(chainStore.canonicalHash(h)).contains(block.hash());
      assertThat(chainStore.undo(block.hash())).as("undo data of canonical block").isPresent();
    }
    assertThat(chainStore.canonicalHash(head.height() + 1)).isEmpty();
    assertThat(chain.accounts()).isEqualTo(factory.stateAt(head.hash()).accounts());

    for (Block block : scenario) {
      chain.importBlock(block);
    }
    assertThat(chain.head()).isEqualTo(expectedHead);
    assertThat(chain.accounts()).isEqualTo(factory.stateAt(expectedHead.hash()).accounts());
  }

  private int totalWrites() {
    FailingKeyValueStore counting =
        new FailingKeyValueStore(new InMemoryKeyValueStore(), Integer.MAX_VALUE, false);
    assertThat(importUntilCrash(counting)).isEqualTo(-1);
    return counting.writes();
  }

  @Test
  void recoversAConsistentChainAfterACrashAtAnyWrite() {
    int writes = totalWrites();
    assertThat(writes).isGreaterThan(scenario.size());
    for (int failAt = 1; failAt <= writes; failAt++) {
      for (boolean afterCommit : new boolean[] {false, true}) {
        InMemoryKeyValueStore disk = new InMemoryKeyValueStore();
        assertThat(importUntilCrash(new FailingKeyValueStore(disk, failAt, afterCommit))).isZero();
        assertConsistentAndFinish(disk);
      }
    }
  }

  @Test
  void recoversOnRocksDbAfterACrashMidReorganisation(@TempDir Path directory) {
    int writes = totalWrites();
    for (int failAt : new int[] {writes / 2, writes - 3, writes - 1}) {
      Path db = directory.resolve("db" + failAt);
      try (RocksDbKeyValueStore disk = RocksDbKeyValueStore.open(db, false)) {
        assertThat(importUntilCrash(new FailingKeyValueStore(disk, failAt, true))).isZero();
      }
      try (RocksDbKeyValueStore disk = RocksDbKeyValueStore.open(db, false)) {
        assertConsistentAndFinish(disk);
      }
    }
  }
}
