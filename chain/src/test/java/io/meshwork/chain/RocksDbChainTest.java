package io.meshwork.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.store.RocksDbKeyValueStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbChainTest {
  @TempDir Path directory;

  @Test
  void keepsHeadStateAndSideBranchesAcrossReopen() {
    BlockFactory factory = new BlockFactory(5);
    Random random = new Random(3);
    List<Block> main = factory.branch(factory.genesis, 12, 5, random, factory.spacing());
    List<Block> fork = factory.branch(main.get(5), 8, 5, random, factory.spacing());
    try (RocksDbKeyValueStore db = RocksDbKeyValueStore.open(directory, false)) {
      Chain chain = Chain.open(factory.config(), db, factory.clock());
      main.forEach(chain::importBlock);
      fork.subList(0, 6).forEach(chain::importBlock);
      assertThat(chain.head()).isEqualTo(main.get(11));
    }
    try (RocksDbKeyValueStore db = RocksDbKeyValueStore.open(directory, false)) {
      Chain chain = Chain.open(factory.config(), db, factory.clock());
      assertThat(chain.head()).isEqualTo(main.get(11));
      assertThat(chain.block(fork.get(5).hash())).contains(fork.get(5));
      assertThat(chain.accounts()).isEqualTo(factory.stateAt(main.get(11).hash()).accounts());
      // the stored side branch is extended across the restart and wins
      fork.subList(6, 8).forEach(chain::importBlock);
      assertThat(chain.head()).isEqualTo(fork.get(7));
      assertThat(chain.blockAt(7)).contains(fork.get(0));
    }
    try (RocksDbKeyValueStore db = RocksDbKeyValueStore.open(directory, true)) {
      Chain chain = Chain.open(factory.config(), db, factory.clock());
      assertThat(chain.head()).isEqualTo(fork.get(7));
      assertThat(chain.accounts()).isEqualTo(factory.stateAt(fork.get(7).hash()).accounts());
    }
  }
}
