package io.meshwork.networking.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.SocketAddress;
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
 * <p>Inbound: each complete frame is decrypted into a new heap buffer from the channel's allocator
 * and passed on; the receiver releases it. Empty plaintexts are dropped. A frame that does not
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

  /**
   * Per-thread scratch arrays for buffers without a backing array (direct socket buffers). Safe to
   * share between the connections of an event loop: each use completes within one call.
   */
  private static final FastThreadLocal<byte[]> SCRATCH_IN = scratch();

  private static final FastThreadLocal<byte[]> SCRATCH_OUT = scratch();

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
      ByteBuf plaintext = ctx.alloc().heapBuffer(plaintextLength);
      try {
        decryptFrame(in, in.readerIndex() + LENGTH_PREFIX, frameLength, plaintext);
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

  /** Decrypts one frame into {@code plaintext}, through scratch arrays if a side has none. */
  private void decryptFrame(ByteBuf in, int index, int length, ByteBuf plaintext)
      throws AEADBadTagException {
    byte[] source;
    int sourceOffset;
    if (in.hasArray()) {
      source = in.array();
      sourceOffset = in.arrayOffset() + index;
    } else {
      source = SCRATCH_IN.get();
      sourceOffset = 0;
      in.getBytes(index, source, 0, length);
    }
    int plaintextLength = length - CipherState.TAG_LENGTH;
    if (plaintext.hasArray()) {
      receiver.decrypt(source, sourceOffset, length, plaintext.array(), plaintext.arrayOffset());
    } else {
      byte[] target = SCRATCH_OUT.get();
      receiver.decrypt(source, sourceOffset, length, target, 0);
      plaintext.setBytes(0, target, 0, plaintextLength);
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
    ByteBuf frames;
    try {
      frames = encryptAll(ctx, plaintext);
    } catch (RuntimeException e) {
      // Only nonce exhaustion or a JDK fault lands here: the stream is broken, so close.
      LOG.info("closing {}: Noise encryption failed: {}", ctx.channel(), e.toString());
      promise.tryFailure(e);
      ctx.close();
      return;
    } finally {
      plaintext.release();
    }
    // One write per message, never one per frame: a write can synchronously fire a writability
    // change whose handler writes again, and frames of two messages must not interleave (their
    // nonces are consecutive).
    ctx.write(frames, promise);
  }

  /** Encrypts all of {@code plaintext} into one buffer of consecutive frames. */
  private ByteBuf encryptAll(ChannelHandlerContext ctx, ByteBuf plaintext) {
    int length = plaintext.readableBytes();
    int frameCount = (length + MAX_PLAINTEXT_LENGTH - 1) / MAX_PLAINTEXT_LENGTH;
    ByteBuf frames =
        ctx.alloc().buffer(length + frameCount * (LENGTH_PREFIX + CipherState.TAG_LENGTH));
    try {
      int offset = plaintext.readerIndex();
      int end = offset + length;
      while (offset < end) {
        int chunk = Math.min(end - offset, MAX_PLAINTEXT_LENGTH);
        encryptFrame(plaintext, offset, chunk, frames);
        offset += chunk;
      }
      return frames;
    } catch (RuntimeException e) {
      frames.release();
      throw e;
    }
  }

  /**
   * Appends one frame to {@code frames} (whose capacity was sized for it), going through per-thread
   * scratch arrays where a buffer has no array: the JDK cipher is several times faster on arrays
   * than on direct ByteBuffers, which outweighs the copy.
   */
  private void encryptFrame(ByteBuf plaintext, int index, int length, ByteBuf frames) {
    byte[] source;
    int sourceOffset;
    if (plaintext.hasArray()) {
      source = plaintext.array();
      sourceOffset = plaintext.arrayOffset() + index;
    } else {
      source = SCRATCH_IN.get();
      sourceOffset = 0;
      plaintext.getBytes(index, source, 0, length);
    }
    int frameLength = length + CipherState.TAG_LENGTH;
    frames.writeShort(frameLength);
    if (frames.hasArray()) {
      sender.encrypt(
          source,
          sourceOffset,
          length,
          frames.array(),
          frames.arrayOffset() + frames.writerIndex());
      frames.writerIndex(frames.writerIndex() + frameLength);
    } else {
      byte[] target = SCRATCH_OUT.get();
      sender.encrypt(source, sourceOffset, length, target, 0);
      frames.writeBytes(target, 0, frameLength);
    }
  }

  // The remaining outbound operations pass straight through.

  private static FastThreadLocal<byte[]> scratch() {
    return new FastThreadLocal<>() {
      @Override
      protected byte[] initialValue() {
        return new byte[MAX_FRAME_LENGTH];
      }
    };
  }

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
