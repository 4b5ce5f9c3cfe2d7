package io.meshwork.networking.mux.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link YamuxFrame}s as bytes without copying payloads: a Data frame becomes one composite
 * buffer (header + the payload itself) so a layer below (e.g. Noise) sees one message per frame;
 * other frames become a 12-byte buffer.
 *
 * <p>Ownership: takes over the frame; its payload is released by the transport once written.
 */
@ChannelHandler.Sharable
public final class YamuxFrameEncoder extends MessageToMessageEncoder<YamuxFrame> {

  public YamuxFrameEncoder() {
    super(YamuxFrame.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, YamuxFrame frame, List<Object> out) {
    ByteBuf header = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
    frame.encodeHeader(header);
    if (!frame.payload().isReadable()) {
      out.add(header);
      return;
    }
    // The encoder base class releases the frame after encode(): retain the payload we pass on.
    out.add(
        ctx.alloc()
            .compositeBuffer(2)
            .addComponent(true, header)
            .addComponent(true, frame.payload().retain()));
  }
}
