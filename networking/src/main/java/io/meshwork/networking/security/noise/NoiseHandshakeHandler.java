package io.meshwork.networking.security.noise;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.security.noise.NoiseHandshakeException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the libp2p Noise handshake on a raw connection, then replaces itself with a {@link
 * NoiseTransportCodec}.
 *
 * <p>The handshake starts when the handler is added to an active channel, or when the channel
 * becomes active: the initiator then sends message 1. Handshake messages are framed as {@code u16
 * big-endian length || message}; a frame longer than {@link
 * NoiseHandshake#MAX_HANDSHAKE_MESSAGE_LENGTH} fails at once, so at most one frame is buffered.
 *
 * <p>On success, in this order: the codec is added right after this handler, {@link
 * SecureSessionListener#established} gets the codec's context, this handler removes itself, and
 * bytes that arrived behind the last handshake message are passed through the codec. On failure (a
 * {@link NoiseHandshakeException} with its reason: timeout, malformed or oversized message, bad
 * signature, wrong peer id, no common muxer, connection closed): the reason is logged, {@link
 * SecureSessionListener#failed} is called once, buffers are released and the channel is closed.
 *
 * <p>Writes from above during the handshake are refused (the promise fails, the message is
 * released): nothing may leave unencrypted. Event-loop only; one instance per connection.
 */
public final class NoiseHandshakeHandler extends ChannelDuplexHandler {
  public static final String PROTOCOL_ID = "/noise";

  private static final Logger LOG = LoggerFactory.getLogger(NoiseHandshakeHandler.class);
  private static final int LENGTH_PREFIX = 2;

  private final NoiseHandshake handshake;
  private final Duration handshakeTimeout;
  private final SecureSessionListener listener;
  private ByteBuf cumulation;
  private ScheduledFuture<?> timeout;
  private boolean started;
  private State state = State.HANDSHAKING;

  private enum State {
    HANDSHAKING,
    ESTABLISHED,
    FAILED
  }

  public NoiseHandshakeHandler(
      NoiseRole role,
      PrivateKey identityKey,
      Optional<PeerId> expectedRemotePeer,
      List<String> localMuxers,
      Duration handshakeTimeout,
      SecureSessionListener listener) {
    this.handshake = new NoiseHandshake(role, identityKey, expectedRemotePeer, localMuxers);
    this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout);
    this.listener = Objects.requireNonNull(listener);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    timeout =
        ctx.executor()
            .schedule(
                () ->
                    fail(
                        ctx,
                        new NoiseHandshakeException(
                            Reason.TIMEOUT, "no complete handshake within " + handshakeTimeout)),
                handshakeTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
    if (handshake.role() == NoiseRole.INITIATOR) {
      try {
        send(ctx, handshake.start());
      } catch (NoiseHandshakeException | RuntimeException e) {
        fail(ctx, e);
        return;
      }
    }
    readIfNeeded(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state != State.HANDSHAKING) {
      if (state == State.ESTABLISHED) {
        ctx.fireChannelRead(msg); // the codec above decrypts it
      } else {
        ReferenceCountUtil.release(msg); // failed and closing: drop
      }
      return;
    }
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      fail(ctx, new IllegalStateException("unexpected message " + msg.getClass().getName()));
      return;
    }
    cumulation =
        cumulation == null
            ? in
            : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    try {
      processFrames(ctx);
    } catch (NoiseHandshakeException | RuntimeException e) {
      fail(ctx, e);
    }
  }

  private void processFrames(ChannelHandlerContext ctx) throws NoiseHandshakeException {
    while (state == State.HANDSHAKING && cumulation.readableBytes() >= LENGTH_PREFIX) {
      int length = cumulation.getUnsignedShort(cumulation.readerIndex());
      if (length > NoiseHandshake.MAX_HANDSHAKE_MESSAGE_LENGTH) {
        throw new NoiseHandshakeException(
            Reason.MESSAGE_TOO_LARGE,
            "handshake frame of "
                + length
                + " bytes exceeds "
                + NoiseHandshake.MAX_HANDSHAKE_MESSAGE_LENGTH);
      }
      if (cumulation.readableBytes() < LENGTH_PREFIX + length) {
        return;
      }
      cumulation.skipBytes(LENGTH_PREFIX);
      byte[] message = new byte[length];
      cumulation.readBytes(message);
      Optional<byte[]> reply = handshake.receive(message);
      if (reply.isPresent()) {
        send(ctx, reply.get());
      }
      if (handshake.isComplete()) {
        complete(ctx);
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.HANDSHAKING) {
      // Nothing decrypted went up yet, so there is nothing to complete above.
      readIfNeeded(ctx);
    } else {
      ctx.fireChannelReadComplete();
    }
  }

  private void complete(ChannelHandlerContext ctx) {
    state = State.ESTABLISHED;
    cancelTimeout();
    SecureSession session = handshake.session();
    CipherState[] ciphers = handshake.split();
    ByteBuf surplus = cumulation;
    cumulation = null;
    LOG.debug("{}: Noise handshake complete with {}", ctx.channel(), session.remotePeerId());

    NoiseTransportCodec codec = new NoiseTransportCodec(ciphers[0], ciphers[1]);
    ctx.pipeline().addAfter(ctx.name(), NoiseTransportCodec.HANDLER_NAME, codec);
    try {
      listener.established(ctx.pipeline().context(codec), session);
    } catch (RuntimeException e) {
      LOG.warn("{}: SecureSessionListener.established threw; closing", ctx.channel(), e);
      ReferenceCountUtil.release(surplus);
      ctx.close();
      return;
    }
    // Bytes behind message 3 (the initiator may send data in the same segment) go through the
    // codec now that the listener's handlers are in place.
    if (surplus.isReadable() && ctx.channel().isOpen()) {
      ctx.fireChannelRead(surplus);
    } else {
      surplus.release();
    }
    ctx.pipeline().remove(this);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (state == State.ESTABLISHED) {
      ctx.write(msg, promise); // already encrypted by the codec above us
      return;
    }
    ReferenceCountUtil.release(msg);
    promise.setFailure(
        new IllegalStateException("cannot write before the Noise handshake completes"));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, new NoiseHandshakeException(Reason.CONNECTION_CLOSED, "connection closed"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (state == State.ESTABLISHED) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    fail(
        ctx,
        new NoiseHandshakeException(
            Reason.TRANSPORT_ERROR, "connection failed during the handshake", cause));
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimeout();
    releaseCumulation();
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (state != State.HANDSHAKING) {
      return;
    }
    state = State.FAILED;
    cancelTimeout();
    releaseCumulation();
    if (cause instanceof NoiseHandshakeException noise) {
      LOG.info("{}: Noise handshake failed: {}", ctx.channel(), noise.getMessage());
    } else {
      LOG.info("{}: Noise handshake failed", ctx.channel(), cause);
    }
    try {
      listener.failed(cause);
    } finally {
      ctx.close();
    }
  }

  private void send(ChannelHandlerContext ctx, byte[] message) {
    ByteBuf frame = ctx.alloc().buffer(LENGTH_PREFIX + message.length);
    frame.writeShort(message.length).writeBytes(message);
    ctx.writeAndFlush(frame)
        .addListener(
            future -> {
              if (!future.isSuccess()) {
                fail(
                    ctx,
                    new NoiseHandshakeException(
                        Reason.TRANSPORT_ERROR, "cannot send a handshake message", future.cause()));
              }
            });
  }

  private void readIfNeeded(ChannelHandlerContext ctx) {
    if (!ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }
}
