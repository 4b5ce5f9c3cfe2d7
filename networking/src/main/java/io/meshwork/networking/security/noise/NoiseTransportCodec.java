package io.meshwork.networking.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Noise transport phase (libp2p noise spec, "Wire Format"): every frame is {@code u16
 * big-endian length || ChaCha20-Poly1305 ciphertext}, at most 65535 bytes, so at most {@value
 * #MAX_PLAINTEXT_LENGTH} plaintext bytes.
 *
 * <p>Outbound: {@link ByteBuf} writes are encrypted in chunks of at most {@value
 * #MAX_PLAINTEXT_LENGTH} bytes, one pooled buffer per frame; the codec releases the written buffer,
 * the frames belong to the pipeline below. Other messages pass through untouched.
 *
 * <p>Inbound: each complete frame is decrypted into a new buffer from the channel's allocator and
 * passed on; the receiver releases it. Empty plaintexts are dropped. A frame that does not
 * authenticate or is shorter than the tag fails with {@link NoiseTransportException}: the reason is
 * logged, passed on through {@code exceptionCaught} and the connection is closed.
 *
 * <p>Event-loop only, like any handler; one instance per connection (it holds the nonces).
 */
public final class NoiseTransportCodec extends ByteToMessageDecoder
    implements ChannelOutboundHandler {
  /** The pipeline name the handshake handler gives this codec. */
  public static final String HANDLER_NAME = "noise-transport";

  public static final int MAX_FRAME_LENGTH = 65535;
  public static final int MAX_PLAINTEXT_LENGTH = MAX_FRAME_LENGTH - CipherState.TAG_LENGTH;

  private static final Logger LOG = LoggerFactory.getLogger(NoiseTransportCodec.class);
  private static final int LENGTH_PREFIX = 2;

  private final CipherState sender;
  private final CipherState receiver;
  private boolean failed;

  NoiseTransportCodec(CipherState sender, CipherState receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= LENGTH_PREFIX) {
      int frameLength = in.getUnsignedShort(in.readerIndex());
      if (frameLength < CipherState.TAG_LENGTH) {
        throw fail(
            in, "transport frame of " + frameLength + " bytes cannot hold the 16-byte tag", null);
      }
      if (in.readableBytes() < LENGTH_PREFIX + frameLength) {
        return; // wait for the rest; the u16 prefix bounds what we buffer to 64 KiB
      }
      int plaintextLength = frameLength - CipherState.TAG_LENGTH;
      ByteBuf plaintext = ctx.alloc().buffer(plaintextLength);
      try {
        ByteBuffer ciphertext = in.nioBuffer(in.readerIndex() + LENGTH_PREFIX, frameLength);
        receiver.decrypt(ciphertext, plaintext.nioBuffer(0, plaintextLength));
      } catch (AEADBadTagException | RuntimeException e) {
        plaintext.release();
        throw fail(in, "transport frame did not authenticate (nonce " + receiver.nonce() + ")", e);
      }
      plaintext.writerIndex(plaintextLength);
      in.skipBytes(LENGTH_PREFIX + frameLength);
      if (plaintextLength == 0) {
        plaintext.release();
      } else {
        out.add(plaintext);
      }
    }
  }

  private NoiseTransportException fail(ByteBuf in, String reason, Throwable cause) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return new NoiseTransportException(reason, cause);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof NoiseTransportException) {
      LOG.info("closing {}: {}", ctx.channel(), cause.getMessage());
      ctx.fireExceptionCaught(cause);
      ctx.close();
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf plaintext)) {
      ctx.write(msg, promise);
      return;
    }
    if (!plaintext.isReadable()) {
      ctx.write(plaintext, promise);
      return;
    }
    PromiseCombiner combiner =
        plaintext.readableBytes() > MAX_PLAINTEXT_LENGTH && !promise.isVoid()
            ? new PromiseCombiner(ctx.executor())
            : null;
    try {
      while (plaintext.isReadable()) {
        int chunk = Math.min(plaintext.readableBytes(), MAX_PLAINTEXT_LENGTH);
        ByteBuf frame = encryptFrame(ctx, plaintext, chunk);
        plaintext.skipBytes(chunk);
        if (combiner != null) {
          combiner.add(ctx.write(frame));
        } else {
          ctx.write(frame, plaintext.isReadable() ? ctx.voidPromise() : promise);
        }
      }
      if (combiner != null) {
        combiner.finish(promise);
      }
    } catch (RuntimeException e) {
      // Only nonce exhaustion or a JDK fault lands here: the stream is broken, so close.
      LOG.info("closing {}: Noise encryption failed: {}", ctx.channel(), e.toString());
      promise.tryFailure(e);
      ctx.close();
    } finally {
      ReferenceCountUtil.release(plaintext);
    }
  }

  private ByteBuf encryptFrame(ChannelHandlerContext ctx, ByteBuf plaintext, int length) {
    int frameLength = length + CipherState.TAG_LENGTH;
    ByteBuf frame = ctx.alloc().buffer(LENGTH_PREFIX + frameLength);
    try {
      frame.writeShort(frameLength);
      sender.encrypt(
          plaintext.nioBuffer(plaintext.readerIndex(), length),
          frame.nioBuffer(LENGTH_PREFIX, frameLength));
      frame.writerIndex(LENGTH_PREFIX + frameLength);
      return frame;
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
  }

  // The remaining outbound operations pass straight through.

  @Override
  public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
    ctx.bind(localAddress, promise);
  }

  @Override
  public void connect(
      ChannelHandlerContext ctx,
      SocketAddress remoteAddress,
      SocketAddress localAddress,
      ChannelPromise promise) {
    ctx.connect(remoteAddress, localAddress, promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.disconnect(promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.close(promise);
  }

  @Override
  public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.deregister(promise);
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
  }
}
