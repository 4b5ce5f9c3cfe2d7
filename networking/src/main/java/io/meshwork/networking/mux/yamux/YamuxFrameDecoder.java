package io.meshwork.networking.mux.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns the connection's byte stream into {@link YamuxFrame}s.
 *
 * <p>Data payloads are zero-copy retained slices of the cumulation buffer; the frame's receiver
 * releases them. A Data frame longer than {@code maxFrameDataLength}, a version other than 0 or an
 * unknown type raises a {@link YamuxProtocolException}; after that the decoder discards all further
 * input (the session closes the connection).
 *
 * <p>Runs on the connection's event loop; not sharable.
 */
public final class YamuxFrameDecoder extends ByteToMessageDecoder {
  private final int maxFrameDataLength;
  private boolean failed;

  public YamuxFrameDecoder(int maxFrameDataLength) {
    if (maxFrameDataLength <= 0) {
      throw new IllegalArgumentException("maxFrameDataLength must be positive");
    }
    this.maxFrameDataLength = maxFrameDataLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < YamuxFrame.HEADER_LENGTH) {
      return;
    }
    int start = in.readerIndex();
    int version = in.getUnsignedByte(start);
    int typeCode = in.getUnsignedByte(start + 1);
    int flags = in.getUnsignedShort(start + 2);
    int streamId = in.getInt(start + 4);
    long length = in.getUnsignedInt(start + 8);
    if (version != YamuxFrame.VERSION) {
      throw fail(in, "unsupported yamux version " + version);
    }
    YamuxFrameType type =
        YamuxFrameType.fromCode(typeCode)
            .orElseThrow(() -> fail(in, "unknown yamux frame type " + typeCode));
    if (type != YamuxFrameType.DATA) {
      in.skipBytes(YamuxFrame.HEADER_LENGTH);
      out.add(new YamuxFrame(type, flags, streamId, length, Unpooled.EMPTY_BUFFER));
      return;
    }
    if (length > maxFrameDataLength) {
      throw fail(
          in, "data frame of " + length + " bytes exceeds the limit of " + maxFrameDataLength);
    }
    if (in.readableBytes() < YamuxFrame.HEADER_LENGTH + length) {
      return;
    }
    in.skipBytes(YamuxFrame.HEADER_LENGTH);
    ByteBuf payload = length == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice((int) length);
    out.add(new YamuxFrame(type, flags, streamId, length, payload));
  }

  private YamuxProtocolException fail(ByteBuf in, String reason) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return new YamuxProtocolException(reason);
  }
}
