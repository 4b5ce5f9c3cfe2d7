package io.meshwork.networking.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class VarintTest {
  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  @Test
  void encodesSpecExamples() {
    // Examples from the multiformats unsigned-varint README.
    assertThat(Varint.encode(1)).isEqualTo(hex("01"));
    assertThat(Varint.encode(127)).isEqualTo(hex("7f"));
    assertThat(Varint.encode(128)).isEqualTo(hex("8001"));
    assertThat(Varint.encode(255)).isEqualTo(hex("ff01"));
    assertThat(Varint.encode(300)).isEqualTo(hex("ac02"));
    assertThat(Varint.encode(16384)).isEqualTo(hex("808001"));
    assertThat(Varint.encode(Long.MAX_VALUE)).hasSize(Varint.MAX_BYTES);
  }

  @Test
  void rejectsNegativeValues() {
    assertThatThrownBy(() -> Varint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNonMinimalEncoding() {
    assertThatThrownBy(() -> Varint.decode(hex("8100"), 0))
        .isInstanceOf(VarintException.class)
        .hasMessageContaining("minimal");
    ByteBuf in = Unpooled.wrappedBuffer(hex("808000"));
    try {
      assertThatThrownBy(() -> Varint.read(in)).isInstanceOf(VarintException.class);
    } finally {
      in.release();
    }
  }

  @Test
  void rejectsTenByteVarint() {
    byte[] tooLong = hex("ffffffffffffffffff01");
    assertThatThrownBy(() -> Varint.decode(tooLong, 0))
        .isInstanceOf(VarintException.class)
        .hasMessageContaining("longer");
    ByteBuf in = Unpooled.wrappedBuffer(tooLong);
    try {
      assertThatThrownBy(() -> Varint.read(in)).isInstanceOf(VarintException.class);
    } finally {
      in.release();
    }
  }

  @Test
  void rejectsTruncatedVarintInArray() {
    assertThatThrownBy(() -> Varint.decode(hex("ff"), 0))
        .isInstanceOf(VarintException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void readReturnsMinusOneAndKeepsReaderIndexWhenIncomplete() {
    ByteBuf in = Unpooled.buffer();
    try {
      in.writeByte(0x05).writeByte(0xac);
      in.readerIndex(1);
      assertThat(Varint.read(in)).isEqualTo(-1);
      assertThat(in.readerIndex()).isEqualTo(1);
      in.writeByte(0x02);
      assertThat(Varint.read(in)).isEqualTo(300);
      assertThat(in.readableBytes()).isZero();
    } finally {
      in.release();
    }
  }

  @Property
  void roundTripsThroughArrays(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
    byte[] encoded = Varint.encode(value);
    assertThat(encoded).hasSize(Varint.size(value));
    assertThat(Varint.decode(encoded, 0)).isEqualTo(new Varint.Decoded(value, encoded.length));
  }

  @Property
  void roundTripsThroughByteBuf(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
    ByteBuf buf = Unpooled.buffer();
    try {
      Varint.write(value, buf);
      assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(Varint.encode(value));
      assertThat(Varint.read(buf)).isEqualTo(value);
      assertThat(buf.isReadable()).isFalse();
    } finally {
      buf.release();
    }
  }
}
