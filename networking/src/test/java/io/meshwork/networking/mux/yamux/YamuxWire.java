package io.meshwork.networking.mux.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Test peer side of an EmbeddedChannel running a YamuxHandler: frames in, frames out. */
final class YamuxWire {
  private final EmbeddedChannel channel;
  private final EmbeddedChannel decoder = new EmbeddedChannel(new YamuxFrameDecoder(1 << 24));

  YamuxWire(EmbeddedChannel channel) {
    this.channel = channel;
  }

  /** Feeds frames to the handler as bytes, as one read. */
  void receive(YamuxFrame... frames) {
    ByteBuf bytes = Unpooled.buffer();
    for (YamuxFrame frame : frames) {
      frame.encodeHeader(bytes);
      bytes.writeBytes(frame.payload());
      frame.release();
    }
    channel.writeInbound(bytes);
    channel.runPendingTasks();
  }

  static YamuxFrame data(int streamId, int flags, int length) {
    byte[] payload = new byte[length];
    for (int i = 0; i < length; i++) {
      payload[i] = (byte) i;
    }
    return YamuxFrame.data(streamId, flags, Unpooled.wrappedBuffer(payload));
  }

  /** All frames the handler wrote so far; Data payloads are copied (nothing to release). */
  List<YamuxFrame> sent() {
    channel.runPendingTasks();
    for (ByteBuf chunk; (chunk = channel.readOutbound()) != null; ) {
      decoder.writeInbound(chunk);
    }
    List<YamuxFrame> frames = new ArrayList<>();
    for (YamuxFrame frame; (frame = decoder.readInbound()) != null; ) {
      ByteBuf copy = Unpooled.copiedBuffer(frame.payload());
      frames.add(
          new YamuxFrame(frame.type(), frame.flags(), frame.streamId(), frame.length(), copy));
      frame.release();
    }
    return frames;
  }

  /** Sent frames of one type. */
  List<YamuxFrame> sent(YamuxFrameType type) {
    return sent().stream().filter(f -> f.type() == type).toList();
  }

  void close() {
    sent();
    decoder.finishAndReleaseAll();
  }
}
