package io.meshwork.sync.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.model.Transaction;
import io.meshwork.sync.TestBlocks;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Virtual time: every instant is passed in, nothing waits. */
class TransactionBatcherTest {
  private static final long MS = 1_000_000L;
  private static final List<Transaction> TXS = TestBlocks.txs(0, 12);

  @Test
  void flushesALoneTransactionOnceItHasLingered() {
    TransactionBatcher batcher = new TransactionBatcher(100, 64 * 1024, 20 * MS);
    assertThat(batcher.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(batcher.add(TXS.get(0), 1_000 * MS)).isEmpty();
    assertThat(batcher.nextDeadlineNanos()).isEqualTo(1_020 * MS);
    assertThat(batcher.poll(1_020 * MS - 1)).isEmpty();
    assertThat(batcher.poll(1_020 * MS)).contains(List.of(TXS.get(0)));
    assertThat(batcher.pending()).isZero();
    assertThat(batcher.poll(2_000 * MS)).isEmpty();
  }

  @Test
  void theOldestTransactionSetsTheDeadline() {
    TransactionBatcher batcher = new TransactionBatcher(100, 64 * 1024, 20 * MS);
    batcher.add(TXS.get(0), 0);
    batcher.add(TXS.get(1), 15 * MS);
    assertThat(batcher.nextDeadlineNanos()).isEqualTo(20 * MS);
    assertThat(batcher.poll(20 * MS)).contains(List.of(TXS.get(0), TXS.get(1)));
  }

  @Test
  void flushesABurstAsSoonAsItReachesTheBatchSize() {
    TransactionBatcher batcher = new TransactionBatcher(5, 64 * 1024, 20 * MS);
    for (int i = 0; i < 4; i++) {
      assertThat(batcher.add(TXS.get(i), 0)).isEmpty();
    }
    assertThat(batcher.add(TXS.get(4), 0)).contains(TXS.subList(0, 5));
    assertThat(batcher.pending()).isZero();
    assertThat(batcher.add(TXS.get(5), 1)).isEmpty();
    assertThat(batcher.pending()).isEqualTo(1);
  }

  @Test
  void releasesTheBatchBeforeATransactionThatWouldTakeItOverTheByteCap() {
    int size = TXS.get(0).encodedSize();
    int maxBytes = Math.max(3 * size + size / 2, Transaction.MAX_ENCODED_SIZE);
    TransactionBatcher batcher = new TransactionBatcher(100, maxBytes, 20 * MS);
    Optional<List<Transaction>> released = Optional.empty();
    int added = 0;
    while (released.isEmpty()) {
      released = batcher.add(TXS.get(added), added * MS);
      added++;
    }
    int bytes = released.get().stream().mapToInt(Transaction::encodedSize).sum();
    assertThat(bytes).isLessThanOrEqualTo(maxBytes);
    assertThat(released.get()).isEqualTo(TXS.subList(0, added - 1));
    // The transaction that did not fit starts the next batch, with its own deadline.
    assertThat(batcher.pending()).isEqualTo(1);
    assertThat(batcher.nextDeadlineNanos()).isEqualTo((added - 1) * MS + 20 * MS);
  }

  @Test
  void aBatchFilledToTheByteCapExactlyIsReleasedAtOnce() {
    int size = TXS.get(0).encodedSize();
    TransactionBatcher batcher =
        new TransactionBatcher(100, Math.max(size, Transaction.MAX_ENCODED_SIZE), 20 * MS);
    if (size == Transaction.MAX_ENCODED_SIZE) {
      assertThat(batcher.add(TXS.get(0), 0)).contains(List.of(TXS.get(0)));
    } else {
      assertThat(batcher.add(TXS.get(0), 0)).isEmpty();
      assertThat(batcher.pendingBytes()).isEqualTo(size);
    }
  }
}
