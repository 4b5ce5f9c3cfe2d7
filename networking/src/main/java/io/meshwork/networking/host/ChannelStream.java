package io.meshwork.networking.host;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.mux.yamux.YamuxStreamChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Stream} over a Yamux stream channel. Its {@link Adapter} is the last handler of the
 * stream's pipeline: it hands received buffers to the {@link StreamReader} (releasing each after
 * the call) and wakes writers waiting for writability.
 *
 * <p>Reading starts paused (the channel's auto-read is off) so data is not accepted, and no credit
 * granted to the peer, before someone reads; the few bytes that arrived with the protocol
 * negotiation are held until {@link #read} is called.
 */
final class ChannelStream implements Stream {
  private final YamuxStreamChannel channel;
  private final Connection connection;
  private final String protocolId;
  private final Direction direction;
  private final Adapter adapter = new Adapter();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  ChannelStream(
      YamuxStreamChannel channel, Connection connection, String protocolId, Direction direction) {
    this.channel = channel;
    this.connection = connection;
    this.protocolId = protocolId;
    this.direction = direction;
    channel.closeFuture().addListener(f -> closeFuture.complete(null));
  }

  /** Installs the adapter after {@code ctx} and pauses reading; call on the event loop. */
  void attach(ChannelHandlerContext ctx) {
    channel.config().setAutoRead(false);
    ctx.pipeline().addAfter(ctx.name(), "stream", adapter);
  }

  @Override
  public PeerId remotePeerId() {
    return connection.remotePeerId();
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public String protocolId() {
    return protocolId;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public CompletableFuture<Void> write(ByteBuffer data) {
    return toFuture(channel.writeAndFlush(Unpooled.wrappedBuffer(data)));
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public CompletableFuture<Void> whenWritable() {
    CompletableFuture<Void> writable = new CompletableFuture<>();
    channel.eventLoop().execute(() -> adapter.awaitWritable(writable));
    return writable;
  }

  @Override
  public void read(StreamReader reader) {
    channel.eventLoop().execute(() -> adapter.start(reader));
  }

  @Override
  public void pauseReading() {
    channel.config().setAutoRead(false);
  }

  @Override
  public void resumeReading() {
    channel.config().setAutoRead(true);
  }

  @Override
  public CompletableFuture<Void> closeWrite() {
    return toFuture(channel.closeWrite());
  }

  @Override
  public CompletableFuture<Void> close() {
    return toFuture(channel.close());
  }

  @Override
  public void reset() {
    channel.reset();
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public String toString() {
    return "Stream[" + protocolId + " " + direction.wireName() + " " + channel + "]";
  }

  private static CompletableFuture<Void> toFuture(ChannelFuture future) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    future.addListener(
        f -> {
          if (f.isSuccess()) {
            result.complete(null);
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  /** Runs on the stream's event loop only. */
  private final class Adapter extends ChannelInboundHandlerAdapter {
    /** Bytes that came with the negotiation, before a reader; bounded by the receive window. */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();

    private final List<CompletableFuture<Void>> writableWaiters = new ArrayList<>();
    private StreamReader reader;
    private boolean ended;
    private Throwable failure;

    void start(StreamReader newReader) {
      if (reader != null) {
        throw new IllegalStateException("stream already has a reader");
      }
      reader = newReader;
      ByteBuf buf;
      while ((buf = early.poll()) != null) {
        deliver(buf);
      }
      if (failure != null) {
        reader.onError(failure);
        return;
      }
      if (ended) {
        reader.onEndOfStream();
        return;
      }
      channel.config().setAutoRead(true);
    }

    void awaitWritable(CompletableFuture<Void> waiter) {
      if (channel.isWritable() || !channel.isActive()) {
        waiter.complete(null);
      } else {
        writableWaiters.add(waiter);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buf)) {
        io.netty.util.ReferenceCountUtil.release(msg);
        return;
      }
      if (reader == null) {
        early.add(buf);
      } else {
        deliver(buf);
      }
    }

    private void deliver(ByteBuf buf) {
      try {
        if (buf.isReadable()) {
          ByteBuffer view =
              buf.nioBufferCount() == 1
                  ? buf.nioBuffer()
                  : ByteBuffer.wrap(io.netty.buffer.ByteBufUtil.getBytes(buf));
          reader.onData(view);
        }
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(ChannelStream.class)
            .warn("reader of {} failed; resetting the stream", ChannelStream.this, e);
        channel.reset();
      } finally {
        buf.release();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ended = true;
        if (reader != null) {
          reader.onEndOfStream();
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = cause;
        if (reader != null) {
          reader.onError(cause);
        }
      }
      ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        wakeWriters();
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ByteBuf buf;
      while ((buf = early.poll()) != null) {
        buf.release();
      }
      wakeWriters();
      if (reader != null && !ended && failure == null) {
        failure = new java.nio.channels.ClosedChannelException();
        reader.onError(failure);
      }
      ctx.fireChannelInactive();
    }

    private void wakeWriters() {
      List<CompletableFuture<Void>> waiters = new ArrayList<>(writableWaiters);
      writableWaiters.clear();
      waiters.forEach(w -> w.complete(null));
    }
  }
}
