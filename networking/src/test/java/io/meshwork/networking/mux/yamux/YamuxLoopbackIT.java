package io.meshwork.networking.mux.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Two Yamux sessions over loopback TCP (no security layer). */
class YamuxLoopbackIT {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxLoopbackIT.class);

  private final EventLoopGroup serverGroup =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup clientGroup =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final AtomicReference<YamuxHandler> serverSession = new AtomicReference<>();

  @AfterEach
  void shutdown() {
    serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * Starts a server whose inbound streams get {@code streamHandler}; returns the client session.
   */
  private YamuxHandler connect(Supplier<ChannelHandler> streamHandler) throws Exception {
    ChannelInitializer<Channel> inbound =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(streamHandler.get());
          }
        };
    Channel server =
        new ServerBootstrap()
            .group(serverGroup)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    YamuxHandler session = new YamuxHandler(false, YamuxConfig.defaults(), inbound);
                    serverSession.set(session);
                    ch.pipeline().addLast(session);
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    YamuxHandler client =
        new YamuxHandler(true, YamuxConfig.defaults(), new ChannelInboundHandlerAdapter());
    new Bootstrap()
        .group(clientGroup)
        .channel(NioSocketChannel.class)
        .handler(client)
        .connect(server.localAddress())
        .sync();
    return client;
  }

  @Test
  void hundredConcurrentStreamsEachEchoTheirOwnData() throws Exception {
    YamuxHandler client = connect(Echo::new);
    Random random = new Random(42);
    List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] payload = new byte[1000 + random.nextInt(300_000)];
      random.nextBytes(payload);
      payloads.add(payload);
      Collector collector = new Collector();
      echoes.add(collector.done);
      client
          .openStream(collector)
          .addListener(
              f -> {
                YamuxStreamChannel stream = (YamuxStreamChannel) f.getNow();
                for (int off = 0; off < payload.length; off += 50_000) {
                  int len = Math.min(50_000, payload.length - off);
                  stream.write(Unpooled.wrappedBuffer(payload, off, len));
                }
                stream.flush();
                stream.closeWrite();
              });
    }
    for (int i = 0; i < 100; i++) {
      assertThat(echoes.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(payloads.get(i));
    }
  }

  @Test
  void oneGibibyteReachesASlowReaderIntactWhileTheSenderHoldsABoundedBacklog() throws Exception {
    long total = 1L << 30;
    CompletableFuture<long[]> received = new CompletableFuture<>();
    AtomicLong maxReceiverBuffered = new AtomicLong();
    YamuxHandler client =
        connect(() -> new BurstyReader(received, serverSession::get, maxReceiverBuffered));
    Writer writer = new Writer(client, total);
    long start = System.nanoTime();
    client.openStream(writer);
    long[] result = received.get(180, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info(
        "1 GiB through one yamux stream to a bursty reader in {} s: {} MB/s; max sender backlog {}"
            + " B (stream) + {} B (socket), max receiver buffer {} B",
        String.format("%.1f", seconds),
        String.format("%.0f", total / 1e6 / seconds),
        writer.maxStreamPending,
        writer.maxParentPending,
        maxReceiverBuffered.get());
    assertThat(result[0]).isEqualTo(total);
    assertThat(result[1]).isEqualTo(writer.crc.getValue());
    // Writer respects writability: at most the 64 KiB high-water mark plus one 64 KiB write.
    assertThat(writer.maxStreamPending).isLessThanOrEqualTo(64 * 1024 + Writer.CHUNK + 1024);
    // The socket buffer is never filled beyond its high-water mark plus one frame.
    assertThat(writer.maxParentPending).isLessThanOrEqualTo(64 * 1024 + 65_519 + 1024);
    assertThat(maxReceiverBuffered.get()).isLessThanOrEqualTo(16 * 1024 * 1024);
  }

  /**
   * The responder writes its answer and closes, either from the write's completion (the common
   * {@code write(data).thenCompose(v -> close())}) or at once while the data still waits for the
   * window (1 MiB is four initial windows): the reader gets every byte, then FIN, never RST.
   */
  @ParameterizedTest(name = "{0} bytes, halfClose={1}, fromCompletion={2}")
  @CsvSource({
    "1000, false, true",
    "1000, true, true",
    "1048576, false, true",
    "1048576, true, true",
    "1048576, false, false",
    "1048576, true, false",
  })
  void closingAfterTheLastWriteDeliversAllDataThenFin(
      int size, boolean halfClose, boolean fromCompletion) throws Exception {
    byte[] payload = new byte[size];
    new Random(size).nextBytes(payload);
    YamuxHandler client = connect(() -> new WriteThenClose(payload, halfClose, fromCompletion));
    Collector collector = new Collector();
    client.openStream(collector);
    assertThat(collector.done.get(30, TimeUnit.SECONDS)).isEqualTo(payload);
  }

  /** Writes a payload when the stream opens, then closes or half-closes it. */
  static final class WriteThenClose extends ChannelInboundHandlerAdapter {
    private final byte[] payload;
    private final boolean halfClose;
    private final boolean fromCompletion;

    WriteThenClose(byte[] payload, boolean halfClose, boolean fromCompletion) {
      this.payload = payload;
      this.halfClose = halfClose;
      this.fromCompletion = fromCompletion;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      YamuxStreamChannel stream = (YamuxStreamChannel) ctx.channel();
      ChannelFuture written = stream.write(Unpooled.wrappedBuffer(payload));
      if (fromCompletion) {
        // Listening before the flush, so the completion runs inside the stream's write loop, as
        // it does for a write made from another thread.
        written.addListener(f -> close(stream));
        stream.flush();
      } else {
        stream.flush();
        close(stream);
      }
    }

    private void close(YamuxStreamChannel stream) {
      if (halfClose) {
        stream.closeWrite();
      } else {
        stream.close();
      }
    }
  }

  /** Echoes everything and half-closes after the peer's FIN. */
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == ChannelInputShutdownEvent.INSTANCE) {
        ((YamuxStreamChannel) ctx.channel()).closeWrite();
      }
    }
  }

  /** Collects a stream's bytes until the peer's FIN. */
  static final class Collector extends ChannelInboundHandlerAdapter {
    final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      byte[] chunk = new byte[buf.readableBytes()];
      buf.readBytes(chunk);
      buf.release();
      bytes.writeBytes(chunk);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == ChannelInputShutdownEvent.INSTANCE) {
        done.complete(bytes.toByteArray());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IllegalStateException("stream closed before FIN"));
    }
  }

  /** Writes {@code total} bytes only while the stream is writable, sampling the backlog. */
  static final class Writer extends ChannelInboundHandlerAdapter {
    static final int CHUNK = 64 * 1024;
    private static final int PATTERN = 1 << 20;
    private final ByteBuf pattern;
    private final YamuxHandler session;
    private final long total;
    final CRC32 crc = new CRC32();
    long sent;
    long maxStreamPending;
    long maxParentPending;

    Writer(YamuxHandler session, long total) {
      this.session = session;
      this.total = total;
      byte[] bytes = new byte[PATTERN + CHUNK];
      new Random(7).nextBytes(bytes);
      this.pattern = Unpooled.wrappedBuffer(bytes);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      writeMore(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      writeMore(ctx);
    }

    private void writeMore(ChannelHandlerContext ctx) {
      while (ctx.channel().isWritable() && sent < total) {
        int offset = (int) ((sent / CHUNK * 7919) % PATTERN);
        int len = (int) Math.min(CHUNK, total - sent);
        crc.update(pattern.nioBuffer(offset, len));
        ctx.write(pattern.retainedSlice(offset, len));
        sent += len;
        maxStreamPending = Math.max(maxStreamPending, session.pendingWriteBytes());
        maxParentPending = Math.max(maxParentPending, session.parentPendingBytes());
      }
      ctx.flush();
      maxParentPending = Math.max(maxParentPending, session.parentPendingBytes());
      if (sent == total) {
        sent++; // once
        ((YamuxStreamChannel) ctx.channel()).closeWrite();
        pattern.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (pattern.refCnt() > 0 && sent <= total) {
        pattern.release();
      }
    }
  }

  /** Reads with autoRead off: bursts of a few read() calls, then a pause of a millisecond. */
  static final class BurstyReader extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<long[]> done;
    private final Supplier<YamuxHandler> session;
    private final AtomicLong maxBuffered;
    private final CRC32 crc = new CRC32();
    private long count;
    private int readsInBurst;

    BurstyReader(
        CompletableFuture<long[]> done, Supplier<YamuxHandler> session, AtomicLong maxBuffered) {
      this.done = done;
      this.session = session;
      this.maxBuffered = maxBuffered;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(false);
      ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      count += buf.readableBytes();
      crc.update(buf.nioBuffer());
      buf.release();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (++readsInBurst < 8) {
        ctx.read();
      } else {
        readsInBurst = 0;
        ctx.executor()
            .schedule(
                () -> {
                  // After the pause the most data waits: sample the receiver's buffer now.
                  maxBuffered.accumulateAndGet(session.get().bufferedReadBytes(), Math::max);
                  ctx.read();
                },
                1,
                TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == ChannelInputShutdownEvent.INSTANCE) {
        done.complete(new long[] {count, crc.getValue()});
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
    }
  }
}
