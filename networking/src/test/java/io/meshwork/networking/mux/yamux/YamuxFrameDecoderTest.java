package io.meshwork.networking.mux.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

class YamuxFrameDecoderTest {

  private static ByteBuf header(int version, int type, int flags, int streamId, long length) {
    ByteBuf buf = Unpooled.buffer(12);
    buf.writeByte(version).writeByte(type).writeShort(flags).writeInt(streamId);
    buf.writeInt((int) length);
    return buf;
  }

  @Test
  void decodesWindowUpdateWithGoStyleSyn() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder(1024));
    channel.writeInbound(header(0, 1, YamuxFrame.SYN, 3, 0));
    YamuxFrame frame = channel.readInbound();
    assertThat(frame.type()).isEqualTo(YamuxFrameType.WINDOW_UPDATE);
    assertThat(frame.has(YamuxFrame.SYN)).isTrue();
    assertThat(frame.streamId()).isEqualTo(3);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void waitsForTheWholeDataPayload() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder(1024));
    ByteBuf first = header(0, 0, 0, 1, 4).writeBytes(new byte[] {1, 2});
    assertThat(channel.writeInbound(first)).isFalse();
    assertThat(channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 4}))).isTrue();
    YamuxFrame frame = channel.readInbound();
    assertThat(frame.payload().readableBytes()).isEqualTo(4);
    assertThat(frame.payload().getByte(3)).isEqualTo((byte) 4);
    frame.release();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decodesMaximumUnsignedLengthsOfControlFrames() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder(1024));
    channel.writeInbound(header(0, 2, YamuxFrame.SYN, 0, 0xFFFF_FFFFL));
    YamuxFrame frame = channel.readInbound();
    assertThat(frame.length()).isEqualTo(0xFFFF_FFFFL);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void rejectsUnknownFrameType() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder(1024));
    assertThatThrownBy(() -> channel.writeInbound(header(0, 4, 0, 0, 0)))
        .isInstanceOf(DecoderException.class)
        .hasRootCauseInstanceOf(YamuxProtocolException.class)
        .hasMessageContaining("unknown yamux frame type 4");
    channel.finishAndReleaseAll();
  }

  @Test
  void rejectsUnsupportedVersion() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder(1024));
    assertThatThrownBy(() -> channel.writeInbound(header(1, 0, 0, 1, 0)))
        .hasRootCauseInstanceOf(YamuxProtocolException.class)
        .hasMessageContaining("unsupported yamux version 1");
    channel.finishAndReleaseAll();
  }

  @Test
  void rejectsOversizedDataFrameBeforeItsPayloadArrives() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder(1024));
    assertThatThrownBy(() -> channel.writeInbound(header(0, 0, 0, 1, 1025)))
        .hasRootCauseInstanceOf(YamuxProtocolException.class)
        .hasMessageContaining("exceeds the limit of 1024");
    channel.finishAndReleaseAll();
  }

  @Test
  void discardsEverythingAfterAProtocolError() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder(1024));
    assertThatThrownBy(() -> channel.writeInbound(header(7, 0, 0, 1, 0)))
        .hasRootCauseInstanceOf(YamuxProtocolException.class);
    assertThat(channel.writeInbound(header(0, 2, YamuxFrame.SYN, 0, 1))).isFalse();
    assertThat(channel.finish()).isFalse();
  }
}
