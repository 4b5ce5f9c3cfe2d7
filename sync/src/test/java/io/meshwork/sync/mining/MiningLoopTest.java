package io.meshwork.sync.mining;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.Chain;
import io.meshwork.chain.ChainConfig;
import io.meshwork.chain.ImportResult;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.store.InMemoryKeyValueStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MiningLoopTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
  private final Chain chain =
      Chain.open(
          ChainConfig.defaults(GenesisConfig.forTests(Map.of())),
          new InMemoryKeyValueStore(),
          clock);
  private final MiningLoop loop =
      new MiningLoop(chain, new MiningConfig(10_000, Duration.ofMillis(100)));

  @Test
  void aSliceFindsABlockAtTrivialDifficultyAndMakesItTheHead() {
    assertThat(loop.mineSlice()).isEqualTo(MiningLoop.Outcome.MINED);

    assertThat(chain.headHeader().height()).isEqualTo(1);
    assertThat(loop.blocksMined()).isEqualTo(1);
    assertThat(loop.staleBlocks()).isZero();
  }

  @Test
  void successiveSlicesExtendTheChain() {
    for (int i = 0; i < 5; i++) {
      assertThat(loop.mineSlice()).isEqualTo(MiningLoop.Outcome.MINED);
    }
    assertThat(chain.headHeader().height()).isEqualTo(5);
    assertThat(loop.blocksMined()).isEqualTo(5);
  }

  @Test
  void dropsABlockMinedOnAHeadThatMovedMeanwhile() {
    Block template = chain.blockTemplate();
    // Another block at the same height arrives first (from a peer, say).
    Block competitor = chain.produceBlock(1_000).orElseThrow();
    assertThat(chain.importBlock(competitor)).isInstanceOf(ImportResult.NewHead.class);

    assertThat(loop.mine(template)).isEqualTo(MiningLoop.Outcome.STALE);

    assertThat(chain.head().hash()).isEqualTo(competitor.hash());
    assertThat(loop.staleBlocks()).isEqualTo(1);
    assertThat(loop.blocksMined()).isZero();
    // The next slice mines on the new head.
    assertThat(loop.mineSlice()).isEqualTo(MiningLoop.Outcome.MINED);
    assertThat(chain.headHeader().parent()).isEqualTo(competitor.hash());
  }

  @Test
  void aSliceWithoutEnoughBudgetFindsNothingAndContinuesTheNonceSearchNextTime() {
    MiningLoop tiny = new MiningLoop(chain, new MiningConfig(10, Duration.ofMillis(100)));
    assertThat(tiny.config().attemptsPerSlice()).isEqualTo(1);
    int slices = 0;
    // One nonce per slice, and the clock never moves: only a search that moves on finds a block
    // (about two hashes per block at this difficulty).
    while (tiny.mineSlice() != MiningLoop.Outcome.MINED) {
      slices++;
      assertThat(slices).isLessThan(200);
    }
    assertThat(chain.headHeader().height()).isEqualTo(1);
  }

  @Test
  void theThreadMinesUntilClosed() throws Exception {
    CountDownLatch threeBlocks = new CountDownLatch(3);
    chain.subscribe(event -> threeBlocks.countDown());
    loop.start();
    assertThat(threeBlocks.await(20, TimeUnit.SECONDS)).isTrue();
    loop.close();
    long height = chain.headHeader().height();
    assertThat(height).isGreaterThanOrEqualTo(3);
    assertThat(loop.blocksMined()).isEqualTo(height);
  }
}
