package io.meshwork.sync.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Transaction;
import io.meshwork.sync.TestBlocks;
import io.meshwork.sync.compact.BlockReconstructor.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockReconstructorTest {
  private static final List<Transaction> TXS = TestBlocks.txs(0, 10);
  private static final Block BLOCK = TestBlocks.block(TXS);
  private static final CompactBlock COMPACT = CompactBlockBuilder.build(BLOCK, 7, id -> false);

  @Test
  void rebuildsTheBlockWithoutARoundTripWhenTheMempoolHasEverything() {
    List<Transaction> mempool = new ArrayList<>(TXS.subList(1, 10));
    mempool.addAll(TestBlocks.txs(100, 20));
    BlockReconstructor r = BlockReconstructor.start(COMPACT, mempool);
    assertThat(r.result()).isEqualTo(new Result.Complete(BLOCK));
  }

  @Test
  void asksForTheMissingIndexesInOrderThenCompletesWithTheFetchedTransactions() {
    List<Transaction> mempool = List.of(TXS.get(1), TXS.get(2), TXS.get(5), TXS.get(9));
    BlockReconstructor r = BlockReconstructor.start(COMPACT, mempool);
    assertThat(r.result()).isEqualTo(new Result.Missing(List.of(3, 4, 6, 7, 8)));

    Result filled = r.fill(List.of(TXS.get(3), TXS.get(4), TXS.get(6), TXS.get(7), TXS.get(8)));

    assertThat(filled).isEqualTo(new Result.Complete(BLOCK));
    assertThat(r.result()).isEqualTo(filled);
  }

  @Test
  void usesPrefilledTransactionsAsTheyAre() {
    CompactBlock compact = CompactBlockBuilder.build(BLOCK, 7, id -> id.equals(TXS.get(4).id()));
    BlockReconstructor r = BlockReconstructor.start(compact, TXS.subList(5, 10));
    assertThat(r.result()).isEqualTo(new Result.Missing(List.of(1, 2, 3)));
    assertThat(r.fill(TXS.subList(1, 4))).isEqualTo(new Result.Complete(BLOCK));
  }

  @Test
  void failsOnAShortIdCollisionInTheMempool() {
    ShortId collided = COMPACT.shortIds().get(3);
    Map<ShortId, List<Transaction>> index =
        new java.util.HashMap<>(MempoolIndex.index(new ShortIds(BLOCK.header(), 7), TXS));
    index.put(collided, List.of(TXS.get(4), TestBlocks.tx(500)));
    BlockReconstructor r = BlockReconstructor.start(COMPACT, index::get);
    assertThat(r.result()).isInstanceOf(Result.Failed.class);
    assertThat(((Result.Failed) r.result()).reason()).contains("short id collision");
  }

  @Test
  void failsWhenAMempoolTransactionWithTheRightShortIdIsTheWrongOne() {
    // A collision with a transaction outside the mempool: only the transactions root tells.
    ShortId id = COMPACT.shortIds().get(0);
    Map<ShortId, List<Transaction>> index =
        new java.util.HashMap<>(MempoolIndex.index(new ShortIds(BLOCK.header(), 7), TXS));
    index.put(id, List.of(TestBlocks.tx(500)));
    BlockReconstructor r = BlockReconstructor.start(COMPACT, index::get);
    assertThat(r.result()).isEqualTo(new Result.Failed("transactions root mismatch after filling"));
  }

  @Test
  void failsWhenTheWrongNumberOfTransactionsIsFetched() {
    BlockReconstructor r = BlockReconstructor.start(COMPACT, TXS.subList(1, 8));
    assertThat(r.result()).isEqualTo(new Result.Missing(List.of(8, 9)));
    assertThat(r.fill(List.of(TXS.get(8)))).isInstanceOf(Result.Failed.class);
  }

  @Test
  void failsWhenAFetchedTransactionIsNotTheOneAskedFor() {
    BlockReconstructor r = BlockReconstructor.start(COMPACT, TXS.subList(1, 8));
    Result result = r.fill(List.of(TXS.get(9), TXS.get(8)));
    assertThat(result).isInstanceOf(Result.Failed.class);
    assertThat(((Result.Failed) result).reason()).contains("index 8");
  }

  @Test
  void refusesToFillWhenNothingIsMissing() {
    BlockReconstructor r = BlockReconstructor.start(COMPACT, TXS);
    assertThatThrownBy(() -> r.fill(List.of())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rebuildsAThousandTransactionBlockFromItsCompactEncoding() {
    List<Transaction> txs = TestBlocks.txs(0, 1000);
    Block big = TestBlocks.block(txs);
    CompactBlock received =
        CompactBlock.decode(CompactBlockBuilder.build(big, 99, id -> false).encode(), 5000);
    assertThat(BlockReconstructor.start(received, txs).result())
        .isEqualTo(new Result.Complete(big));
  }

  @Test
  void rebuildsABlockWithNoTransactions() {
    Block empty = TestBlocks.block(List.of());
    CompactBlock compact = CompactBlockBuilder.build(empty, 1, id -> false);
    assertThat(BlockReconstructor.start(compact, List.of()).result())
        .isEqualTo(new Result.Complete(empty));
  }
}
