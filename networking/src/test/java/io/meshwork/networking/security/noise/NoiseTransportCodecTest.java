package io.meshwork.networking.security.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NoiseTransportCodecTest {
  private final CipherState[] keys = keys();
  private EmbeddedChannel sender;
  private final EmbeddedChannel receiver =
      new EmbeddedChannel(new NoiseTransportCodec(new CipherState(), keys[1]));

  @AfterEach
  void releaseEverything() {
    sender.finishAndReleaseAll();
    receiver.finishAndReleaseAll();
  }

  /**
   * Writing to the socket can synchronously fire a writability change whose handler writes again;
   * the frames of the first write must still reach the wire before those of the nested one.
   */
  @Test
  void keepsAMultiFrameWriteContiguousWhenAWriteReenters() {
    byte[] first = filled(200_000, (byte) 1);
    byte[] second = filled(10, (byte) 2);
    sender =
        new EmbeddedChannel(
            new ChannelOutboundHandlerAdapter() {
              private boolean reentered;

              @Override
              public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ctx.write(msg, promise);
                if (!reentered) {
                  reentered = true;
                  ctx.channel().write(Unpooled.wrappedBuffer(second));
                }
              }
            },
            new NoiseTransportCodec(keys[0], new CipherState()));

    sender.writeOutbound(Unpooled.wrappedBuffer(first));
    for (ByteBuf frames; (frames = sender.readOutbound()) != null; ) {
      receiver.writeInbound(frames);
    }

    ByteBuf received = Unpooled.buffer();
    for (ByteBuf plaintext; (plaintext = receiver.readInbound()) != null; ) {
      received.writeBytes(plaintext);
      plaintext.release();
    }
    byte[] expected = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, expected, first.length, second.length);
    assertThat(ByteBufUtil.getBytes(received)).isEqualTo(expected);
    received.release();
  }

  @Test
  void dropsEmptyPlaintextFramesAndPassesEmptyWritesThrough() {
    sender = new EmbeddedChannel(new NoiseTransportCodec(keys[0], new CipherState()));
    byte[] emptyFrame = new byte[2 + CipherState.TAG_LENGTH];
    emptyFrame[1] = CipherState.TAG_LENGTH;
    keys[0].encrypt(new byte[0], 0, 0, emptyFrame, 2);

    receiver.writeInbound(Unpooled.wrappedBuffer(emptyFrame));
    sender.writeOutbound(Unpooled.EMPTY_BUFFER);

    assertThat((Object) receiver.readInbound()).isNull();
    assertThat(receiver.isOpen()).isTrue();
    ByteBuf passedThrough = sender.readOutbound();
    assertThat(passedThrough.readableBytes()).isZero();
  }

  private static byte[] filled(int length, byte value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, value);
    return bytes;
  }

  private static CipherState[] keys() {
    byte[] key = new byte[32];
    key[31] = 5;
    CipherState send = new CipherState();
    CipherState receive = new CipherState();
    send.initializeKey(key);
    receive.initializeKey(key);
    return new CipherState[] {send, receive};
  }
}
