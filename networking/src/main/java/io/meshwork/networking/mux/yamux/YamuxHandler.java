package io.meshwork.networking.mux.yamux;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yamux session on a connection's pipeline: add it where the negotiated connection carries plain
 * bytes; it installs a {@link YamuxFrameDecoder} and {@link YamuxFrameEncoder} in front of itself.
 * Each stream is a {@link YamuxStreamChannel} child of the connection.
 *
 * <p>Flow control reaches the producer: a stream's writability follows the peer's window and the
 * connection's own writability; while the socket is not writable no stream drains into it, and
 * streams resume in round-robin order when it is. A peer overrunning a window, sending a bad frame
 * or reusing a stream id gets GoAway(protocol error) and the connection is closed.
 *
 * <p>Ping: every ping request is answered; one ping at start measures the RTT used for window
 * auto-tuning; with a keep-alive interval, pings repeat and an unanswered one closes the connection
 * after {@code pingTimeout}.
 *
 * <p>Threading: event-loop confined except {@link #openStream}, {@link #goAway}, {@link
 * #activeStreams}, {@link #pendingWriteBytes} and {@link #bufferedReadBytes}, which any thread may
 * call. Not sharable: one instance per connection.
 */
public final class YamuxHandler extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxHandler.class);

  private final boolean client;
  private final YamuxConfig config;
  private final ChannelHandler inboundStreamInitializer;
  private final LongSupplier nanoClock;
  private final Map<Integer, YamuxStreamChannel> streams = new ConcurrentHashMap<>();
  private final ArrayDeque<YamuxStreamChannel> readReady = new ArrayDeque<>();
  private final LinkedHashSet<YamuxStreamChannel> awaitingParent = new LinkedHashSet<>();
  private final YamuxPinger pinger;

  private ChannelHandlerContext ctx;
  private long nextStreamId;
  private int lastRemoteStreamId;
  private int inboundStreams;
  private boolean inRead;
  private boolean flushPending;
  private boolean goAwaySent;
  private boolean goAwayReceived;
  private boolean closed;

  /**
   * @param client whether this side dialed the connection (it then uses odd stream ids)
   * @param inboundStreamInitializer added to every inbound stream's pipeline before the stream is
   *     registered; must be {@link ChannelHandler.Sharable} (e.g. a {@code ChannelInitializer})
   */
  public YamuxHandler(boolean client, YamuxConfig config, ChannelHandler inboundStreamInitializer) {
    this(client, config, inboundStreamInitializer, System::nanoTime);
  }

  YamuxHandler(
      boolean client,
      YamuxConfig config,
      ChannelHandler inboundStreamInitializer,
      LongSupplier nanoClock) {
    this.client = client;
    this.config = Objects.requireNonNull(config, "config");
    this.inboundStreamInitializer = Objects.requireNonNull(inboundStreamInitializer, "initializer");
    this.nanoClock = nanoClock;
    this.nextStreamId = client ? 1 : 2;
    this.pinger = new YamuxPinger(this, config, nanoClock);
  }

  /**
   * Opens an outbound stream (sends WindowUpdate|SYN); {@code initializer} is added to its pipeline
   * before it is registered. Completes on the connection's event loop; fails with {@link
   * YamuxSessionClosedException} after GoAway or when the connection is closed.
   */
  public Future<YamuxStreamChannel> openStream(ChannelHandler initializer) {
    ChannelHandlerContext context = ctx;
    if (context == null) {
      return ImmediateEventExecutor.INSTANCE.newFailedFuture(
          new YamuxSessionClosedException("yamux handler is not in a pipeline"));
    }
    Promise<YamuxStreamChannel> promise = context.channel().eventLoop().newPromise();
    onLoop(() -> open0(initializer, promise));
    return promise;
  }

  /** Sends GoAway(normal): from now on neither side opens new streams; open ones continue. */
  public void goAway() {
    if (ctx == null) {
      return;
    }
    onLoop(
        () -> {
          if (!goAwaySent && !closed) {
            goAwaySent = true;
            writeFrame(YamuxFrame.goAway(YamuxFrame.GO_AWAY_NORMAL));
            flushSoon();
          }
        });
  }

  /** Streams in the table (open, or closed by us and awaiting the peer's FIN). */
  public int activeStreams() {
    return streams.size();
  }

  /** Bytes written to streams and not yet handed to the connection, over all streams. */
  public long pendingWriteBytes() {
    long sum = 0;
    for (YamuxStreamChannel stream : streams.values()) {
      sum += stream.pendingWriteBytes();
    }
    return sum;
  }

  /** Bytes received and not yet read, over all streams. */
  public long bufferedReadBytes() {
    long sum = 0;
    for (YamuxStreamChannel stream : streams.values()) {
      sum += stream.bufferedBytes();
    }
    return sum;
  }

  /** The last measured round-trip time in nanoseconds, 0 before the first ping answer. */
  public long rttNanos() {
    return pinger.rttNanos();
  }

  // ---- pipeline events ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.pipeline()
        .addBefore(ctx.name(), null, new YamuxFrameDecoder(config.maxFrameDataLength()))
        .addBefore(ctx.name(), null, new YamuxFrameEncoder());
    if (ctx.channel().isActive()) {
      pinger.start(ctx.channel().eventLoop());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    pinger.start(ctx.channel().eventLoop());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof YamuxFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    inRead = true;
    if (closed) {
      frame.release();
      return;
    }
    try {
      switch (frame.type()) {
        case PING -> pinger.onPing(frame);
        case GO_AWAY -> onGoAway(frame);
        default -> onStreamFrame(frame);
      }
    } catch (YamuxProtocolException e) {
      protocolError(e.getMessage());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    for (YamuxStreamChannel stream; (stream = readReady.poll()) != null; ) {
      stream.deliverPending();
    }
    inRead = false;
    flushNow();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    for (YamuxStreamChannel stream : streams.values()) {
      stream.parentWritabilityChanged(writable);
    }
    if (writable) {
      resumeAwaitingParent();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeSession();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    closeSession();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof YamuxProtocolException) {
      protocolError(root.getMessage());
    } else if (root instanceof IOException) {
      LOG.debug("yamux connection {} failed", ctx.channel(), root);
      ctx.close();
    } else {
      LOG.warn("yamux session {} internal error", ctx.channel(), root);
      terminate(YamuxFrame.GO_AWAY_INTERNAL_ERROR);
    }
  }

  // ---- frames ----

  private void onGoAway(YamuxFrame frame) {
    goAwayReceived = true;
    if (frame.length() == YamuxFrame.GO_AWAY_NORMAL) {
      LOG.debug("peer of {} sent GoAway", ctx.channel());
    } else {
      LOG.warn("peer of {} sent GoAway with error code {}", ctx.channel(), frame.length());
    }
  }

  private void onStreamFrame(YamuxFrame frame) {
    int id = frame.streamId();
    YamuxStreamChannel stream = streams.get(id);
    if (id == 0) {
      frame.release();
      throw new YamuxProtocolException(frame.type() + " frame on stream 0");
    }
    if (frame.has(YamuxFrame.SYN)) {
      if (stream != null || isLocal(id) || Integer.compareUnsigned(id, lastRemoteStreamId) <= 0) {
        frame.release();
        throw new YamuxProtocolException(
            "SYN for stream " + Integer.toUnsignedString(id) + ": reused id or wrong parity");
      }
      lastRemoteStreamId = id;
      stream = accept(id);
    }
    if (stream == null) {
      // A late frame for a stream that is gone (reset, refused, or closed both ways): drop it.
      frame.release();
      return;
    }
    stream.onFrame(frame);
  }

  private YamuxStreamChannel accept(int id) {
    if (goAwaySent || inboundStreams >= config.maxInboundStreams()) {
      LOG.debug("refusing yamux stream {} on {}", Integer.toUnsignedString(id), ctx.channel());
      writeFrame(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0));
      flushSoon();
      return null;
    }
    YamuxStreamChannel stream = newStream(id, inboundStreamInitializer);
    inboundStreams++;
    // ACK at once rather than on our first data: go-yamux blocks new streams while 256 are unACKed.
    writeFrame(YamuxFrame.windowUpdate(id, YamuxFrame.ACK, stream.initialDelta()));
    flushSoon();
    register(stream);
    return stream;
  }

  private void open0(ChannelHandler initializer, Promise<YamuxStreamChannel> promise) {
    if (closed || !ctx.channel().isActive()) {
      promise.setFailure(new YamuxSessionClosedException("connection is closed"));
    } else if (goAwaySent || goAwayReceived) {
      promise.setFailure(new YamuxSessionClosedException("session is going away (GoAway)"));
    } else if (nextStreamId > YamuxFrame.MAX_LENGTH) {
      promise.setFailure(new YamuxSessionClosedException("stream ids exhausted"));
    } else {
      int id = (int) nextStreamId;
      nextStreamId += 2;
      YamuxStreamChannel stream = newStream(id, initializer);
      writeFrame(YamuxFrame.windowUpdate(id, YamuxFrame.SYN, stream.initialDelta()));
      flushSoon();
      register(stream)
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  promise.setSuccess(stream);
                } else {
                  promise.setFailure(f.cause());
                }
              });
    }
  }

  private YamuxStreamChannel newStream(int id, ChannelHandler initializer) {
    YamuxReceiveWindow window =
        new YamuxReceiveWindow(config.initialWindow(), config.maxWindow(), nanoClock);
    YamuxStreamChannel stream =
        new YamuxStreamChannel(this, ctx.channel(), id, window, config.sentFrameDataLength());
    stream.pipeline().addLast(initializer);
    streams.put(id, stream);
    return stream;
  }

  private ChannelFuture register(YamuxStreamChannel stream) {
    return ctx.channel()
        .eventLoop()
        .register(stream)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                LOG.warn("could not register yamux stream {}", stream, f.cause());
                stream.unsafe().closeForcibly();
              }
            });
  }

  private boolean isLocal(int id) {
    return ((id & 1) == 1) == client;
  }

  // ---- services for streams and the pinger (event loop) ----

  void writeFrame(YamuxFrame frame) {
    if (closed) {
      frame.release();
      return;
    }
    ctx.write(frame, ctx.voidPromise());
    flushPending = true;
  }

  void writeStreamFrame(YamuxFrame frame) {
    writeFrame(frame);
    flushSoon();
  }

  /** Flushes now, or at the end of the current read so one read's replies share a flush. */
  void flushSoon() {
    if (!inRead) {
      flushNow();
    }
  }

  private void flushNow() {
    if (flushPending && !closed) {
      flushPending = false;
      ctx.flush();
    }
  }

  boolean parentWritable() {
    return ctx.channel().isWritable();
  }

  void awaitParentWritability(YamuxStreamChannel stream) {
    awaitingParent.add(stream);
  }

  void readReady(YamuxStreamChannel stream) {
    if (!inRead) {
      stream.deliverPending();
    } else if (!stream.readyQueued) {
      stream.readyQueued = true;
      readReady.add(stream);
    }
  }

  void removeStream(YamuxStreamChannel stream) {
    if (streams.remove(stream.streamId(), stream) && !isLocal(stream.streamId())) {
      inboundStreams--;
    }
    awaitingParent.remove(stream);
  }

  /** Round-robin: streams that got to write this turn queue up behind those that did not. */
  private void resumeAwaitingParent() {
    if (awaitingParent.isEmpty()) {
      return;
    }
    List<YamuxStreamChannel> turn = new ArrayList<>(awaitingParent);
    awaitingParent.clear();
    List<YamuxStreamChannel> served = new ArrayList<>();
    for (YamuxStreamChannel stream : turn) {
      if (!ctx.channel().isWritable()) {
        awaitingParent.add(stream);
        continue;
      }
      stream.resumeWrite();
      if (awaitingParent.remove(stream)) {
        served.add(stream);
      }
    }
    awaitingParent.addAll(served);
  }

  void protocolError(String reason) {
    LOG.warn("yamux protocol error on {}: {}", ctx.channel(), reason);
    terminate(YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
  }

  /** Sends GoAway with {@code code}, closes the connection and all streams. */
  void terminate(int code) {
    if (closed) {
      return;
    }
    goAwaySent = true;
    ctx.writeAndFlush(YamuxFrame.goAway(code)).addListener(ChannelFutureListener.CLOSE);
    closeSession();
  }

  /** Closes the connection without GoAway (ping timeout). */
  void closeConnection() {
    closeSession();
    ctx.close();
  }

  private void closeSession() {
    if (closed) {
      return;
    }
    closed = true;
    pinger.stop();
    List<YamuxStreamChannel> all = new ArrayList<>(streams.values());
    streams.clear();
    readReady.clear();
    awaitingParent.clear();
    for (YamuxStreamChannel stream : all) {
      stream.onSessionClosed();
    }
  }

  /** Bytes queued in the connection channel's own outbound buffer (diagnostics and tests). */
  long parentPendingBytes() {
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  private void onLoop(Runnable task) {
    if (ctx.channel().eventLoop().inEventLoop()) {
      task.run();
    } else {
      ctx.channel().eventLoop().execute(task);
    }
  }

  ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return ctx.channel().eventLoop().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }
}
