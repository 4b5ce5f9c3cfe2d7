package io.meshwork.chain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class EncodingTest {
  private static final SigningKey ALICE = SigningKey.fromSeed(new byte[32]);
  private static final Address BOB = SigningKey.fromSeed(filled(7)).address();
  private static final Hash GENESIS = Hash.sha256(new byte[] {1});

  private static byte[] filled(int value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private static Block sampleBlock() {
    List<Transaction> txs =
        List.of(
            Transaction.sign(ALICE, GENESIS, BOB, 10, 1, 0),
            Transaction.sign(ALICE, GENESIS, BOB, 300, 2, 1));
    BlockHeader header =
        new BlockHeader(
            GENESIS, 1, 1_700_000_000_000L, Block.transactionsRoot(txs), GENESIS, 0x1f00ffff, 42);
    return new Block(header, txs);
  }

  @Test
  void blockRoundTripsThroughItsEncoding() {
    Block block = sampleBlock();
    byte[] encoded = block.encode();
    assertThat(encoded).hasSize(block.encodedSize());
    Block decoded = Block.decode(encoded, 10);
    assertThat(decoded).isEqualTo(block);
    assertThat(decoded.hash()).isEqualTo(block.hash());
    assertThat(decoded.transactions().get(1).id()).isEqualTo(block.transactions().get(1).id());
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] encoded = Arrays.copyOf(sampleBlock().encode(), sampleBlock().encodedSize() + 1);
    assertThatThrownBy(() -> Block.decode(encoded, 10))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void rejectsTruncatedInput() {
    byte[] encoded = sampleBlock().encode();
    assertThatThrownBy(() -> Block.decode(Arrays.copyOf(encoded, encoded.length - 1), 10))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void rejectsOversizedTransactionListBeforeReadingIt() {
    assertThatThrownBy(() -> Block.decode(sampleBlock().encode(), 1))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("exceeds limit 1");
  }

  @Test
  void rejectsNonMinimalVarint() {
    // height 1 encoded as 0x81 0x00 instead of 0x01
    byte[] header = sampleBlock().header().encode();
    byte[] padded = new byte[header.length + 1];
    System.arraycopy(header, 0, padded, 0, 32);
    padded[32] = (byte) 0x81;
    padded[33] = 0;
    System.arraycopy(header, 33, padded, 34, header.length - 33);
    assertThatThrownBy(() -> BlockHeader.decode(padded))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("non-minimal");
  }

  @Test
  void rejectsVarintAboveSignedLongRange() {
    byte[] tooBig = {
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      0x01
    };
    assertThatThrownBy(() -> new CanonicalReader(tooBig).varint("amount"))
        .hasMessageContaining("exceeds 2^63-1");
  }

  @Property(tries = 200)
  void varintsRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
    byte[] encoded = new CanonicalWriter(10).varint(value).toByteArray();
    CanonicalReader reader = new CanonicalReader(encoded);
    assertThat(reader.varint("v")).isEqualTo(value);
    reader.expectEnd("v");
  }

  @Test
  void signatureBindsTheTransactionToItsNetwork() {
    Transaction tx = Transaction.sign(ALICE, GENESIS, BOB, 5, 1, 0);
    assertThat(tx.hasValidSignature(GENESIS)).isTrue();
    assertThat(tx.hasValidSignature(Hash.ZERO)).isFalse();
    assertThat(tx.from()).isEqualTo(ALICE.address());
  }

  @Test
  void tamperedAmountInvalidatesTheSignature() {
    Transaction tx = Transaction.sign(ALICE, GENESIS, BOB, 5, 1, 0);
    Transaction forged = Transaction.of(tx.senderKey(), BOB, 500, 1, 0, tx.signature());
    assertThat(forged.hasValidSignature(GENESIS)).isFalse();
    assertThat(forged.id()).isNotEqualTo(tx.id());
  }

  @Test
  void transactionIdIsTheHashOfItsEncoding() {
    Transaction tx =
        Transaction.sign(SigningKey.generate(new SecureRandom()), GENESIS, BOB, 5, 1, 0);
    assertThat(tx.id()).isEqualTo(Hash.sha256(tx.encode()));
    assertThat(Transaction.decode(tx.encode())).isEqualTo(tx);
  }

  @Test
  void merkleRootDistinguishesOddListsFromDuplicatedOnes() {
    Hash a = Hash.sha256(new byte[] {1});
    Hash b = Hash.sha256(new byte[] {2});
    Hash c = Hash.sha256(new byte[] {3});
    assertThat(MerkleRoot.of(List.of(a, b, c))).isNotEqualTo(MerkleRoot.of(List.of(a, b, c, c)));
    assertThat(MerkleRoot.of(List.of(a, b))).isNotEqualTo(MerkleRoot.of(List.of(b, a)));
    assertThat(MerkleRoot.of(List.of(a))).isNotEqualTo(a);
  }
}
