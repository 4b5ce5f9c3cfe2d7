package io.meshwork.sync.wire;

import static io.meshwork.sync.wire.WireAssertions.rejectsEveryTruncation;
import static io.meshwork.sync.wire.WireAssertions.rejectsTrailingBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Hash;
import io.meshwork.sync.TestBlocks;
import io.meshwork.sync.compact.CompactBlockBuilder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireMessagesTest {
  private static final Hash HASH = Hash.sha256(new byte[] {5});
  private static final Block BLOCK = TestBlocks.block(TestBlocks.txs(0, 3));

  @Test
  void transactionBatchRoundTripsAndIsStrict() {
    TransactionBatch batch = new TransactionBatch(TestBlocks.txs(0, 3));
    byte[] encoding = batch.encode();
    assertThat(TransactionBatch.decode(encoding, 256)).isEqualTo(batch);
    rejectsEveryTruncation(encoding, b -> TransactionBatch.decode(b, 256));
    rejectsTrailingBytes(encoding, b -> TransactionBatch.decode(b, 256));
  }

  @Test
  void transactionBatchRejectsMoreTransactionsThanTheCap() {
    byte[] encoding = new TransactionBatch(TestBlocks.txs(0, 3)).encode();
    assertThatThrownBy(() -> TransactionBatch.decode(encoding, 2))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("count 3 exceeds limit 2");
  }

  @Test
  void transactionBatchRejectsAHugeCountBeforeAllocating() {
    byte[] encoding = new CanonicalWriter(10).varint(Long.MAX_VALUE).toByteArray();
    assertThatThrownBy(() -> TransactionBatch.decode(encoding, Integer.MAX_VALUE))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit");
  }

  @Test
  void transactionBatchRejectsAnEmptyBatch() {
    assertThatThrownBy(() -> TransactionBatch.decode(new byte[] {0}, 256))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void fullBlockAnnouncementRoundTripsAndIsStrict() {
    BlockAnnouncement announcement = new BlockAnnouncement.Full(BLOCK);
    byte[] encoding = announcement.encode();
    assertThat(encoding[0]).isEqualTo(BlockAnnouncement.KIND_FULL);
    assertThat(BlockAnnouncement.decode(encoding, 5000)).isEqualTo(announcement);
    rejectsEveryTruncation(encoding, b -> BlockAnnouncement.decode(b, 5000));
    rejectsTrailingBytes(encoding, b -> BlockAnnouncement.decode(b, 5000));
  }

  @Test
  void compactBlockAnnouncementRoundTripsAndIsStrict() {
    BlockAnnouncement announcement =
        new BlockAnnouncement.Compact(CompactBlockBuilder.build(BLOCK, 77, id -> false));
    byte[] encoding = announcement.encode();
    assertThat(encoding[0]).isEqualTo(BlockAnnouncement.KIND_COMPACT);
    assertThat(BlockAnnouncement.decode(encoding, 5000)).isEqualTo(announcement);
    assertThat(announcement.header()).isEqualTo(BLOCK.header());
    rejectsEveryTruncation(encoding, b -> BlockAnnouncement.decode(b, 5000));
    rejectsTrailingBytes(encoding, b -> BlockAnnouncement.decode(b, 5000));
  }

  @Test
  void blockAnnouncementRejectsAnUnknownKind() {
    byte[] encoding = new BlockAnnouncement.Full(BLOCK).encode();
    encoding[0] = 2;
    assertThatThrownBy(() -> BlockAnnouncement.decode(encoding, 5000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("unknown kind 2");
  }

  @Test
  void blockAnnouncementRejectsMoreTransactionsThanTheBlockLimit() {
    byte[] full = new BlockAnnouncement.Full(BLOCK).encode();
    byte[] compact =
        new BlockAnnouncement.Compact(CompactBlockBuilder.build(BLOCK, 1, id -> false)).encode();
    assertThatThrownBy(() -> BlockAnnouncement.decode(full, 2))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit 2");
    assertThatThrownBy(() -> BlockAnnouncement.decode(compact, 1))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit");
  }

  @Test
  void statusRoundTripsAndIsStrict() {
    StatusMessage status =
        new StatusMessage(
            "meshwork-testnet", HASH, Hash.sha256(new byte[] {6}), 1_000, BigInteger.TWO.pow(200));
    byte[] encoding = status.encode();
    assertThat(StatusMessage.decode(encoding)).isEqualTo(status);
    rejectsEveryTruncation(encoding, StatusMessage::decode);
    rejectsTrailingBytes(encoding, StatusMessage::decode);
  }

  @Test
  void statusEncodesZeroAndTopBitWorkMinimally() {
    for (BigInteger work :
        List.of(BigInteger.ZERO, BigInteger.valueOf(255), BigInteger.TWO.pow(255))) {
      StatusMessage status = new StatusMessage("n", HASH, HASH, 0, work);
      assertThat(StatusMessage.decode(status.encode()).totalWork()).isEqualTo(work);
    }
  }

  @Test
  void statusRejectsNonMinimalWorkAndLongNetworkIds() {
    byte[] leadingZero =
        new CanonicalWriter(100)
            .varint(1)
            .bytes("n".getBytes(StandardCharsets.UTF_8))
            .hash(HASH)
            .hash(HASH)
            .varint(0)
            .varint(2)
            .bytes(new byte[] {0, 1})
            .toByteArray();
    assertThatThrownBy(() -> StatusMessage.decode(leadingZero))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("non-minimal total work");
    byte[] longId = new CanonicalWriter(100).varint(65).bytes(new byte[65]).toByteArray();
    assertThatThrownBy(() -> StatusMessage.decode(longId))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit 64");
  }

  @Test
  void statusRejectsANetworkIdThatIsNotUtf8() {
    byte[] bad = new CanonicalWriter(100).varint(1).bytes(new byte[] {(byte) 0xff}).toByteArray();
    assertThatThrownBy(() -> StatusMessage.decode(bad))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void statusNamesAWrongNetworkOrGenesis() {
    StatusMessage ours = new StatusMessage("main", HASH, HASH, 0, BigInteger.ONE);
    StatusMessage sameNetwork = new StatusMessage("main", HASH, BLOCK.hash(), 9, BigInteger.TEN);
    StatusMessage otherGenesis = new StatusMessage("main", BLOCK.hash(), HASH, 0, BigInteger.ONE);
    StatusMessage otherId = new StatusMessage("test", HASH, HASH, 0, BigInteger.ONE);
    assertThat(ours.wrongNetworkReason(sameNetwork)).isEmpty();
    assertThat(ours.wrongNetworkReason(otherGenesis))
        .get()
        .asString()
        .startsWith("wrong network: ");
    assertThat(ours.wrongNetworkReason(otherId)).get().asString().contains("got test/");
  }

  @Test
  void blockTxsRequestRoundTripsWithDifferentialIndexes() {
    BlockTxsRequest request = new BlockTxsRequest(HASH, List.of(0, 1, 5, 300, Integer.MAX_VALUE));
    byte[] encoding = request.encode();
    assertThat(BlockTxsRequest.decode(encoding, 5000)).isEqualTo(request);
    // Differential: 0, 0, 3, 294 fit one or two bytes each.
    assertThat(encoding.length).isLessThan(Hash.SIZE + 1 + 1 + 1 + 1 + 2 + 5 + 1);
    rejectsEveryTruncation(encoding, b -> BlockTxsRequest.decode(b, 5000));
    rejectsTrailingBytes(encoding, b -> BlockTxsRequest.decode(b, 5000));
  }

  @Test
  void blockTxsRequestRejectsTooManyIndexesAndIndexesOverflowingAnInt() {
    byte[] many = new BlockTxsRequest(HASH, List.of(1, 2, 3)).encode();
    assertThatThrownBy(() -> BlockTxsRequest.decode(many, 2))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit 2");
    byte[] overflow =
        new CanonicalWriter(50)
            .hash(HASH)
            .varint(2)
            .varint(Integer.MAX_VALUE)
            .varint(0)
            .toByteArray();
    assertThatThrownBy(() -> BlockTxsRequest.decode(overflow, 5000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("above 2^31-1");
  }

  @Test
  void blockTxsRequestRefusesUnorderedIndexes() {
    assertThatThrownBy(() -> new BlockTxsRequest(HASH, List.of(3, 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blockTxsResponseRoundTripsAndIsStrict() {
    BlockTxsResponse response = new BlockTxsResponse(HASH, TestBlocks.txs(10, 2));
    byte[] encoding = response.encode();
    assertThat(BlockTxsResponse.decode(encoding, 5000)).isEqualTo(response);
    assertThat(
            BlockTxsResponse.decode(new BlockTxsResponse(HASH, List.of()).encode(), 5000)
                .transactions())
        .isEmpty();
    rejectsEveryTruncation(encoding, b -> BlockTxsResponse.decode(b, 5000));
    rejectsTrailingBytes(encoding, b -> BlockTxsResponse.decode(b, 5000));
    assertThatThrownBy(() -> BlockTxsResponse.decode(encoding, 1))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit 1");
  }

  @Test
  void blocksByHashRequestRoundTripsAndIsStrict() {
    BlocksByHashRequest request = new BlocksByHashRequest(List.of(HASH, BLOCK.hash()));
    byte[] encoding = request.encode();
    assertThat(BlocksByHashRequest.decode(encoding, 64)).isEqualTo(request);
    rejectsEveryTruncation(encoding, b -> BlocksByHashRequest.decode(b, 64));
    rejectsTrailingBytes(encoding, b -> BlocksByHashRequest.decode(b, 64));
    assertThatThrownBy(() -> BlocksByHashRequest.decode(encoding, 1))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit 1");
  }

  @Test
  void blocksByHashResponseRoundTripsAndIsStrict() {
    Block other = TestBlocks.block(TestBlocks.txs(20, 1));
    BlocksByHashResponse response = new BlocksByHashResponse(List.of(BLOCK, other));
    byte[] encoding = response.encode();
    assertThat(BlocksByHashResponse.decode(encoding, 64, 5000)).isEqualTo(response);
    rejectsEveryTruncation(encoding, b -> BlocksByHashResponse.decode(b, 64, 5000));
    rejectsTrailingBytes(encoding, b -> BlocksByHashResponse.decode(b, 64, 5000));
    assertThatThrownBy(() -> BlocksByHashResponse.decode(encoding, 1, 5000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit 1");
    assertThatThrownBy(() -> BlocksByHashResponse.decode(encoding, 64, 2))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds limit 2");
  }

  @Test
  void blocksByHashResponseRejectsABlockLengthBeyondTheInput() {
    byte[] encoding =
        new CanonicalWriter(20).varint(1).varint(1L << 40).bytes(new byte[4]).toByteArray();
    assertThatThrownBy(() -> BlocksByHashResponse.decode(encoding, 64, 5000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("bytes left");
  }
}
