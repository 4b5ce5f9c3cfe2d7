package io.meshwork.sync.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.sync.TestBlocks;
import io.meshwork.sync.wire.WireFormatException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompactBlockTest {
  private static final List<Transaction> TXS = TestBlocks.txs(0, 6);
  private static final Block BLOCK = TestBlocks.block(TXS);

  @Test
  void alwaysPrefillsIndexZero() {
    CompactBlock compact = CompactBlockBuilder.build(BLOCK, 1, id -> false);
    assertThat(compact.prefilled()).containsExactly(new PrefilledTransaction(0, TXS.get(0)));
    assertThat(compact.shortIds()).hasSize(5);
    assertThat(compact.transactionCount()).isEqualTo(6);
  }

  @Test
  void prefillsTransactionsTheReceiverLikelyLacks() {
    Set<Hash> lacking = Set.of(TXS.get(2).id(), TXS.get(5).id());
    CompactBlock compact = CompactBlockBuilder.build(BLOCK, 1, lacking::contains);
    assertThat(compact.prefilled())
        .extracting(PrefilledTransaction::index)
        .containsExactly(0, 2, 5);
    assertThat(compact.shortIds()).hasSize(3);
  }

  @Test
  void roundTripsThroughItsEncoding() {
    Set<Hash> lacking = Set.of(TXS.get(3).id(), TXS.get(4).id());
    CompactBlock compact = CompactBlockBuilder.build(BLOCK, -5, lacking::contains);
    assertThat(CompactBlock.decode(compact.encode(), 5000)).isEqualTo(compact);
  }

  @Test
  void rejectsEveryTruncationAndTrailingBytes() {
    byte[] encoding =
        CompactBlockBuilder.build(BLOCK, 3, id -> id.equals(TXS.get(4).id())).encode();
    for (int length = 0; length < encoding.length; length++) {
      byte[] prefix = Arrays.copyOf(encoding, length);
      assertThatThrownBy(() -> CompactBlock.decode(prefix, 5000))
          .as("prefix of %d bytes", length)
          .isInstanceOf(WireFormatException.class);
    }
    assertThatThrownBy(
            () -> CompactBlock.decode(Arrays.copyOf(encoding, encoding.length + 1), 5000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void rejectsMoreShortIdsThanTheTransactionLimitBeforeAllocating() {
    byte[] encoding =
        new CanonicalWriter(200)
            .bytes(BLOCK.header().encode())
            .u64(1)
            .varint(Integer.MAX_VALUE)
            .toByteArray();
    assertThatThrownBy(() -> CompactBlock.decode(encoding, 5000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit 5000");
  }

  @Test
  void rejectsPrefilledTransactionsThatTakeTheTotalOverTheLimit() {
    byte[] encoding = CompactBlockBuilder.build(BLOCK, 1, id -> false).encode();
    assertThatThrownBy(() -> CompactBlock.decode(encoding, 5))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("prefilled transactions count 1 exceeds limit 0");
  }

  @Test
  void rejectsAPrefilledIndexOutOfRange() {
    // One transaction in all, prefilled at index 1.
    byte[] encoding =
        new CanonicalWriter(400)
            .bytes(BLOCK.header().encode())
            .u64(1)
            .varint(0)
            .varint(1)
            .varint(1)
            .bytes(TXS.get(0).encode())
            .toByteArray();
    assertThatThrownBy(() -> CompactBlock.decode(encoding, 5000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("prefilled index 1 out of range for 1 transactions");
  }

  @Test
  void rejectsAHugePrefilledIndexDelta() {
    byte[] encoding =
        new CanonicalWriter(400)
            .bytes(BLOCK.header().encode())
            .u64(1)
            .varint(1)
            .bytes(new byte[6])
            .varint(2)
            .varint(0)
            .bytes(TXS.get(0).encode())
            .varint(Long.MAX_VALUE)
            .bytes(TXS.get(1).encode())
            .toByteArray();
    assertThatThrownBy(() -> CompactBlock.decode(encoding, 5000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void refusesOverlappingOrUnorderedPrefilledIndexes() {
    List<PrefilledTransaction> overlapping =
        List.of(new PrefilledTransaction(0, TXS.get(0)), new PrefilledTransaction(0, TXS.get(1)));
    assertThatThrownBy(() -> new CompactBlock(BLOCK.header(), 1, List.of(), overlapping))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodesAThousandTransactionBlockInUnderATenthOfItsSize() {
    Block big = TestBlocks.block(TestBlocks.txs(0, 1000));
    byte[] compact = CompactBlockBuilder.build(big, 42, id -> false).encode();
    assertThat(compact.length).isLessThan(big.encode().length / 10);
  }

  @Test
  void shortIdsDependOnTheSaltAndFitFortyEightBits() {
    Hash id = TXS.get(1).id();
    ShortId a = new ShortIds(BLOCK.header(), 1).of(id);
    ShortId b = new ShortIds(BLOCK.header(), 2).of(id);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.value() >>> 48).isZero();
    assertThat(new ShortIds(BLOCK.header(), 1).of(id)).isEqualTo(a);
  }
}
