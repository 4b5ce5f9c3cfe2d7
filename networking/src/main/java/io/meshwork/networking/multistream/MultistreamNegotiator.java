package io.meshwork.networking.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side shared by {@link MultistreamDialer} and {@link MultistreamListener}: it feeds
 * received bytes to a sans-IO {@link Negotiation}, writes what it asks for, enforces the time limit
 * and hands the channel over once a protocol is agreed.
 *
 * <p>Runs on the channel's event loop only. Buffers: every inbound {@link ByteBuf} becomes part of
 * a private cumulation buffer this handler owns; when the negotiation succeeds the unread rest is
 * passed on with {@code ctx.fireChannelRead} (ownership goes to the next handler), otherwise it is
 * released. The buffers it writes are owned by the pipeline once written. The cumulation never
 * holds more than one incomplete message (at most {@value MultistreamMessage#MAX_LENGTH} bytes plus
 * its prefix) besides the bytes that arrived with it.
 */
abstract sealed class MultistreamNegotiator extends ChannelInboundHandlerAdapter
    permits MultistreamDialer, MultistreamListener {
  private static final Logger LOG = LoggerFactory.getLogger(MultistreamNegotiator.class);

  private final Negotiation negotiation;
  private final Duration timeout;
  private final NegotiationListener listener;

  private ByteBuf cumulation;
  private ScheduledFuture<?> timeoutTask;
  private boolean started;
  private boolean finished;

  MultistreamNegotiator(Negotiation negotiation, Duration timeout, NegotiationListener listener) {
    this.negotiation = negotiation;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (finished) {
      // Failed and closing: the peer's bytes have nowhere to go.
      in.release();
      return;
    }
    cumulation =
        cumulation == null
            ? in
            : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    decodeMessages(ctx);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (finished) {
      ctx.fireChannelReadComplete();
    } else if (!ctx.channel().config().isAutoRead()) {
      // Nobody else asks for more while we still wait for a message.
      ctx.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (started) {
      fail(
          ctx,
          new MultistreamException(
              MultistreamException.Reason.CHANNEL_CLOSED,
              "channel closed before the protocol was agreed"));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (finished) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    fail(
        ctx,
        new MultistreamException(
            MultistreamException.Reason.CHANNEL_ERROR,
            "channel error during negotiation: " + cause,
            cause));
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    finished = true;
    cancelTimeout();
    releaseCumulation();
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    timeoutTask =
        ctx.executor()
            .schedule(
                () ->
                    fail(
                        ctx,
                        new MultistreamException(
                            MultistreamException.Reason.TIMEOUT,
                            "no protocol agreed within " + timeout)),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    handle(ctx, negotiation.start());
    if (!finished && !ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  private void decodeMessages(ChannelHandlerContext ctx) {
    while (!finished) {
      Optional<MultistreamMessage> message;
      try {
        message = MultistreamMessage.decode(cumulation);
      } catch (MultistreamProtocolException e) {
        fail(ctx, e);
        return;
      }
      if (message.isEmpty()) {
        if (!cumulation.isReadable()) {
          releaseCumulation();
        }
        return;
      }
      handle(ctx, negotiation.onMessage(message.get()));
    }
  }

  private void handle(ChannelHandlerContext ctx, NegotiationStep step) {
    if (step instanceof NegotiationStep.Continue next) {
      send(ctx, next.toSend(), true);
    } else if (step instanceof NegotiationStep.Selected selected) {
      // The echo (or a lazy dialer's proposal) is written but not flushed before the
      // application is told, so whatever it writes at once leaves in the same flush, behind it.
      send(ctx, selected.toSend(), false);
      if (finished) {
        return;
      }
      try {
        listener.selected(ctx, selected.protocol());
      } catch (RuntimeException e) {
        fail(ctx, e);
        return;
      }
      ctx.flush();
      if (negotiation.isFinished()) {
        complete(ctx);
      }
    } else if (step instanceof NegotiationStep.Confirmed) {
      complete(ctx);
    } else if (step instanceof NegotiationStep.Failed failed) {
      fail(ctx, failed.cause());
    }
  }

  /** Leaves the pipeline and passes the bytes read beyond the negotiation to the next handler. */
  private void complete(ChannelHandlerContext ctx) {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimeout();
    ByteBuf rest = cumulation;
    cumulation = null;
    ctx.pipeline().remove(this);
    if (rest != null && rest.isReadable()) {
      ctx.fireChannelRead(rest);
    } else if (rest != null) {
      rest.release();
    }
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimeout();
    releaseCumulation();
    LOG.debug("multistream negotiation failed on {}: {}", ctx.channel(), cause.toString());
    try {
      listener.failed(cause);
    } catch (RuntimeException e) {
      LOG.warn("negotiation listener threw on failure of {}", ctx.channel(), e);
    }
    ctx.close();
  }

  private void send(ChannelHandlerContext ctx, List<MultistreamMessage> messages, boolean flush) {
    if (messages.isEmpty()) {
      return;
    }
    int size = 0;
    for (MultistreamMessage message : messages) {
      size += message.encodedLength();
    }
    ByteBuf out = ctx.alloc().buffer(size);
    for (MultistreamMessage message : messages) {
      message.encode(out);
    }
    ChannelFuture written = flush ? ctx.writeAndFlush(out) : ctx.write(out);
    written.addListener(
        future -> {
          if (!future.isSuccess()) {
            fail(
                ctx,
                new MultistreamException(
                    MultistreamException.Reason.CHANNEL_ERROR,
                    "could not send " + messages + ": " + future.cause(),
                    future.cause()));
          }
        });
  }

  private void cancelTimeout() {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
      timeoutTask = null;
    }
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }
}
