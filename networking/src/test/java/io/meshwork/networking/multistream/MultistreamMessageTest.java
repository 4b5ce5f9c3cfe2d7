package io.meshwork.networking.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MultistreamMessageTest {

  @Test
  void encodesNaAsTheBytesInTheSpec() {
    assertThat(hex(MultistreamMessage.NA)).isEqualTo("036e610a");
  }

  @Test
  void encodesTheHeaderAsLengthPrefixedProtocolIdWithNewline() {
    assertThat(hex(MultistreamMessage.HEADER))
        .isEqualTo("132f6d756c746973747265616d2f312e302e300a");
  }

  @Test
  void encodesLsAsTheBytesInTheSpec() {
    assertThat(hex(MultistreamMessage.LS)).isEqualTo("036c730a");
  }

  @Test
  void reportsItsEncodedLength() {
    assertThat(MultistreamMessage.HEADER.encodedLength()).isEqualTo(20);
    assertThat(MultistreamMessage.protocol("/" + "x".repeat(200)).encodedLength())
        .isEqualTo(2 + 202);
  }

  @Test
  void decodesConsecutiveMessagesFromOneBuffer() throws Exception {
    ByteBuf in = Unpooled.buffer();
    try {
      MultistreamMessage.HEADER.encode(in);
      MultistreamMessage.protocol("/noise").encode(in);
      in.writeByte(0x42);

      assertThat(MultistreamMessage.decode(in)).contains(MultistreamMessage.HEADER);
      assertThat(MultistreamMessage.decode(in)).contains(MultistreamMessage.protocol("/noise"));
      assertThat(in.readableBytes()).isEqualTo(1);
    } finally {
      in.release();
    }
  }

  @Test
  void waitsForMoreBytesWhenTheLengthVarintIsTruncated() throws Exception {
    // 0x84 0x01 is the varint 132; only its first byte has arrived.
    ByteBuf in = Unpooled.buffer().writeByte(0x84);
    try {
      assertThat(MultistreamMessage.decode(in)).isEmpty();
      assertThat(in.readerIndex()).isZero();

      in.writeByte(0x01)
          .writeByte('/')
          .writeBytes("a".repeat(130).getBytes(StandardCharsets.UTF_8));
      in.writeByte('\n');
      assertThat(MultistreamMessage.decode(in))
          .map(MultistreamMessage::text)
          .contains("/" + "a".repeat(130));
      assertThat(in.isReadable()).isFalse();
    } finally {
      in.release();
    }
  }

  @Test
  void waitsForMoreBytesWhenTheTextIsTruncated() throws Exception {
    byte[] header = bytes(MultistreamMessage.HEADER);
    ByteBuf in = Unpooled.buffer().writeBytes(header, 0, header.length - 1);
    try {
      assertThat(MultistreamMessage.decode(in)).isEmpty();
      assertThat(in.readerIndex()).isZero();

      in.writeByte('\n');
      assertThat(MultistreamMessage.decode(in)).contains(MultistreamMessage.HEADER);
    } finally {
      in.release();
    }
  }

  @Test
  void acceptsAMessageOfExactly1024Bytes() throws Exception {
    String longest = "/" + "p".repeat(1022);
    ByteBuf in = Unpooled.buffer();
    try {
      MultistreamMessage.protocol(longest).encode(in);
      assertThat((int) in.getUnsignedByte(0)).isEqualTo(0x80);
      assertThat((int) in.getUnsignedByte(1)).isEqualTo(0x08);
      assertThat(MultistreamMessage.decode(in)).map(MultistreamMessage::text).contains(longest);
    } finally {
      in.release();
    }
  }

  @Test
  void rejectsAMessageOf1025BytesAsSoonAsItsLengthIsRead() {
    // varint 1025 = 0x81 0x08; no body needed to refuse it.
    assertMalformed(in -> in.writeByte(0x81).writeByte(0x08), "exceeds the limit of 1024");
  }

  @Test
  void rejectsAMessageWithoutTrailingNewline() {
    assertMalformed(
        in -> in.writeByte(3).writeBytes("/ab".getBytes(StandardCharsets.US_ASCII)), "newline");
  }

  @Test
  void rejectsAnEmptyMessage() {
    assertMalformed(in -> in.writeByte(0), "empty");
  }

  @Test
  void rejectsInvalidUtf8() {
    assertMalformed(
        in -> in.writeByte(4).writeByte('/').writeByte(0xC3).writeByte(0x28).writeByte('\n'),
        "UTF-8");
  }

  @Test
  void rejectsAProtocolIdThatDoesNotStartWithASlash() {
    assertMalformed(
        in -> in.writeByte(6).writeBytes("noise\n".getBytes(StandardCharsets.US_ASCII)),
        "must start with '/'");
  }

  @Test
  void rejectsATextWithANewlineInside() {
    assertMalformed(
        in -> in.writeByte(5).writeBytes("/a\n/\n".getBytes(StandardCharsets.US_ASCII)),
        "contains a newline");
  }

  @Test
  void rejectsANonMinimalLengthVarint() {
    assertMalformed(
        in ->
            in.writeByte(0x83)
                .writeByte(0x00)
                .writeBytes("na\n".getBytes(StandardCharsets.US_ASCII)),
        "bad length prefix");
  }

  @Test
  void rejectsAnOverlongLengthVarint() {
    assertMalformed(
        in -> in.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1}),
        "bad length prefix");
  }

  @Test
  void refusesToBuildInvalidMessages() {
    assertThatThrownBy(() -> MultistreamMessage.protocol("noise"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MultistreamMessage.protocol("/a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MultistreamMessage.protocol("/" + "é".repeat(512)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MultistreamMessage.protocol("/\uD800"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MultistreamMessage.isValidProtocolId("na")).isFalse();
    assertThat(MultistreamMessage.isValidProtocolId("/ipfs/id/1.0.0")).isTrue();
  }

  private static void assertMalformed(Consumer<ByteBuf> content, String reasonFragment) {
    ByteBuf in = Unpooled.buffer();
    try {
      content.accept(in);
      assertThatThrownBy(() -> MultistreamMessage.decode(in))
          .isInstanceOfSatisfying(
              MultistreamProtocolException.class,
              e -> assertThat(e.reason()).isEqualTo(MultistreamException.Reason.MALFORMED_MESSAGE))
          .hasMessageContaining(reasonFragment);
    } finally {
      in.release();
    }
  }

  static byte[] bytes(MultistreamMessage message) {
    ByteBuf out = Unpooled.buffer();
    try {
      message.encode(out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  private static String hex(MultistreamMessage message) {
    return ByteBufUtil.hexDump(bytes(message));
  }
}
