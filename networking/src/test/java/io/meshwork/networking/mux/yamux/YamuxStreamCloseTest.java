package io.meshwork.networking.mux.yamux;

import static io.meshwork.networking.mux.yamux.YamuxFrame.FIN;
import static io.meshwork.networking.mux.yamux.YamuxFrame.RST;
import static io.meshwork.networking.mux.yamux.YamuxFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful close and half-close of a stream: FIN always goes out after every byte written before
 * it, including from inside the completion of the last write; only {@code reset()} and failures
 * send RST. The session is the listener (even ids); the test plays the dialer (odd ids).
 */
class YamuxStreamCloseTest {
  private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;
  private final Map<Channel, StreamRecorder> recorders = StreamRecorder.newRegistry();
  private EmbeddedChannel channel;
  private YamuxHandler handler;
  private YamuxWire wire;

  private void start() {
    handler =
        new YamuxHandler(
            false,
            YamuxConfig.defaults().withKeepAliveInterval(Duration.ZERO),
            StreamRecorder.installer(recorders),
            () -> 0L);
    channel = new EmbeddedChannel(handler);
    wire = new YamuxWire(channel);
    wire.sent(); // the initial ping
  }

  @AfterEach
  void tearDown() {
    if (wire != null) {
      wire.close();
    }
    channel.finishAndReleaseAll();
  }

  private YamuxStreamChannel open() {
    Future<YamuxStreamChannel> future = handler.openStream(new ChannelInboundHandlerAdapter());
    channel.runPendingTasks();
    assertThat(future.isSuccess()).isTrue();
    wire.sent(); // the SYN
    return future.getNow();
  }

  /** An inbound stream whose peer sent a 5-byte request and FIN, as a responder sees it. */
  private YamuxStreamChannel requestReadToTheEnd() {
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0), YamuxWire.data(1, FIN, 5));
    YamuxStreamChannel stream =
        (YamuxStreamChannel)
            recorders.keySet().stream()
                .filter(c -> ((YamuxStreamChannel) c).streamId() == 1)
                .findFirst()
                .orElseThrow();
    assertThat(stream.isInputShutdown()).isTrue();
    wire.sent(); // the ACK
    return stream;
  }

  private static ByteBuf payload(int bytes) {
    return Unpooled.directBuffer(bytes).writeZero(bytes);
  }

  /** Writes {@code bytes} and, from the write's completion, runs {@code close} on the stream. */
  private static AtomicReference<ChannelFuture> closeFromCompletion(
      YamuxStreamChannel stream, int bytes, Function<YamuxStreamChannel, ChannelFuture> close) {
    AtomicReference<ChannelFuture> closed = new AtomicReference<>();
    // The listener goes on before the flush: on the embedded loop the write completes inside it.
    stream
        .write(payload(bytes))
        .addListener(
            f -> {
              assertThat(f.isSuccess()).isTrue();
              closed.set(close.apply(stream));
            });
    stream.flush();
    return closed;
  }

  private static long dataBytes(List<YamuxFrame> frames) {
    return frames.stream()
        .filter(f -> f.type() == YamuxFrameType.DATA)
        .mapToLong(YamuxFrame::length)
        .sum();
  }

  private static void assertDataThenFin(List<YamuxFrame> sent, long bytes) {
    assertThat(sent).noneMatch(f -> f.has(RST));
    assertThat(dataBytes(sent)).isEqualTo(bytes);
    assertThat(sent.get(sent.size() - 1).has(FIN)).isTrue();
    assertThat(sent.subList(0, sent.size() - 1)).noneMatch(f -> f.has(FIN));
  }

  @Test
  void closeFromTheLastWritesCompletionSendsFinNotRst() {
    start();
    YamuxStreamChannel stream = open();
    AtomicReference<ChannelFuture> closed = closeFromCompletion(stream, 100, Channel::close);
    channel.runPendingTasks();

    assertDataThenFin(wire.sent(), 100);
    assertThat(closed.get().isSuccess()).isTrue();
    assertThat(stream.isOpen()).isFalse();
    assertThat(handler.activeStreams()).as("awaits the peer's FIN").isEqualTo(1);
  }

  @Test
  void closeWriteFromTheLastWritesCompletionSendsFinNotRst() {
    start();
    YamuxStreamChannel stream = open();
    AtomicReference<ChannelFuture> fin =
        closeFromCompletion(stream, 100, YamuxStreamChannel::closeWrite);
    channel.runPendingTasks();

    assertDataThenFin(wire.sent(), 100);
    assertThat(fin.get().isSuccess()).isTrue();
    assertThat(stream.isOpen()).isTrue();
  }

  @Test
  void responderClosingFromTheLastWritesCompletionSendsFinNotRst() {
    start();
    YamuxStreamChannel stream = requestReadToTheEnd();
    AtomicReference<ChannelFuture> closed = closeFromCompletion(stream, 100, Channel::close);
    channel.runPendingTasks();

    assertDataThenFin(wire.sent(), 100);
    assertThat(closed.get().isSuccess()).isTrue();
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void responderHalfClosingFromTheLastWritesCompletionSendsFinNotRst() {
    start();
    YamuxStreamChannel stream = requestReadToTheEnd();
    AtomicReference<ChannelFuture> fin =
        closeFromCompletion(stream, 100, YamuxStreamChannel::closeWrite);
    channel.runPendingTasks();

    assertDataThenFin(wire.sent(), 100);
    assertThat(fin.get().isSuccess()).isTrue();
    // Both FINs: the stream closes itself, gracefully.
    assertThat(stream.isOpen()).isFalse();
    assertThat(handler.activeStreams()).isZero();
    assertThat(wire.sent()).isEmpty();
  }

  @Test
  void closeWithDataHeldBackByTheWindowSendsAllOfItThenFin() {
    start();
    YamuxStreamChannel stream = open();
    ChannelFuture write = stream.writeAndFlush(payload(WINDOW + 1000));
    ChannelFuture closed = stream.close();
    channel.runPendingTasks();

    List<YamuxFrame> sent = wire.sent();
    assertThat(dataBytes(sent)).isEqualTo(WINDOW);
    assertThat(sent).noneMatch(f -> f.has(RST) || f.has(FIN));
    assertThat(closed.isDone()).isFalse();
    assertThat(stream.isOutputShutdown()).isTrue();
    assertThat(stream.writeAndFlush(payload(1)).isSuccess()).as("writes after close").isFalse();

    wire.receive(YamuxFrame.windowUpdate(stream.streamId(), 0, 1000));
    assertDataThenFin(wire.sent(), 1000);
    assertThat(write.isSuccess()).isTrue();
    assertThat(closed.isSuccess()).isTrue();
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void closeWriteAfterThePeersFinWithDataHeldBackSendsAllOfItThenFin() {
    start();
    YamuxStreamChannel stream = requestReadToTheEnd();
    AtomicReference<ChannelFuture> fin = new AtomicReference<>();
    stream.write(payload(10)).addListener(f -> fin.set(stream.closeWrite()));
    stream.writeAndFlush(payload(WINDOW + 1000));
    channel.runPendingTasks();
    assertThat(wire.sent()).noneMatch(f -> f.has(RST));

    wire.receive(YamuxFrame.windowUpdate(stream.streamId(), 0, 10_000));
    assertDataThenFin(wire.sent(), 1010);
    assertThat(fin.get().isSuccess()).isTrue();
    assertThat(stream.isOpen()).isFalse();
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void closeFromAnEarlierWritesCompletionSendsTheLaterWritesBeforeFin() {
    start();
    YamuxStreamChannel stream = open();
    AtomicReference<ChannelFuture> closed = new AtomicReference<>();
    stream.write(payload(100)).addListener(f -> closed.set(stream.close()));
    ChannelFuture later = stream.writeAndFlush(payload(WINDOW));
    channel.runPendingTasks();

    List<YamuxFrame> sent = wire.sent();
    assertThat(sent).noneMatch(f -> f.has(RST) || f.has(FIN));
    assertThat(dataBytes(sent)).isEqualTo(WINDOW);
    assertThat(closed.get().isDone()).isFalse();

    wire.receive(YamuxFrame.windowUpdate(stream.streamId(), 0, 100));
    assertDataThenFin(wire.sent(), 100);
    assertThat(later.isSuccess()).isTrue();
    assertThat(closed.get().isSuccess()).isTrue();
  }

  @Test
  void closeFlushesWritesNotYetFlushedThenSendsFin() {
    start();
    YamuxStreamChannel stream = open();
    ChannelFuture write = stream.write(payload(10));
    ChannelFuture closed = stream.close();
    channel.runPendingTasks();

    assertDataThenFin(wire.sent(), 10);
    assertThat(write.isSuccess()).isTrue();
    assertThat(closed.isSuccess()).isTrue();
  }

  @Test
  void secondCloseWhileDataIsPendingCompletesWithTheFirst() {
    start();
    YamuxStreamChannel stream = open();
    stream.writeAndFlush(payload(WINDOW + 1));
    ChannelFuture first = stream.close();
    ChannelFuture second = stream.close();
    ChannelFuture fin = stream.closeWrite();
    channel.runPendingTasks();
    assertThat(second.isDone()).isFalse();

    wire.receive(YamuxFrame.windowUpdate(stream.streamId(), 0, 1));
    assertDataThenFin(wire.sent(), WINDOW + 1);
    assertThat(first.isSuccess()).isTrue();
    assertThat(second.isSuccess()).isTrue();
    assertThat(fin.isSuccess()).isTrue();
  }

  @Test
  void resetDiscardsDataHeldBackByTheWindow() {
    start();
    YamuxStreamChannel stream = open();
    ChannelFuture write = stream.writeAndFlush(payload(WINDOW + 1000));
    ChannelFuture closed = stream.close();
    channel.runPendingTasks();
    wire.sent();

    stream.reset();
    channel.runPendingTasks();
    assertThat(wire.sent()).singleElement().satisfies(f -> assertThat(f.has(RST)).isTrue());
    assertThat(write.isSuccess()).isFalse();
    assertThat(closed.cause()).isInstanceOf(ClosedChannelException.class);
    assertThat(stream.isOpen()).isFalse();
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void peerResetWhileClosingFailsTheCloseAndReleasesTheData() {
    start();
    YamuxStreamChannel stream = open();
    ChannelFuture write = stream.writeAndFlush(payload(WINDOW + 1000));
    ChannelFuture closed = stream.close();
    channel.runPendingTasks();
    wire.sent();

    wire.receive(YamuxFrame.windowUpdate(stream.streamId(), RST, 0));
    assertThat(wire.sent()).isEmpty();
    assertThat(write.isSuccess()).isFalse();
    assertThat(closed.cause()).isInstanceOf(ClosedChannelException.class);
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void connectionClosingWhileAStreamClosesFailsTheClose() {
    start();
    YamuxStreamChannel stream = open();
    ChannelFuture write = stream.writeAndFlush(payload(WINDOW + 1000));
    ChannelFuture closed = stream.closeWrite();
    channel.runPendingTasks();

    channel.close();
    channel.runPendingTasks();
    assertThat(write.isSuccess()).isFalse();
    assertThat(closed.cause()).isInstanceOf(ClosedChannelException.class);
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void closeWithUnreadDataStillResetsAndDropsPendingWrites() {
    start();
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0));
    YamuxStreamChannel stream =
        (YamuxStreamChannel) recorders.keySet().stream().findFirst().orElseThrow();
    stream.config().setAutoRead(false);
    wire.receive(YamuxWire.data(1, 0, 10));
    ChannelFuture write = stream.writeAndFlush(payload(WINDOW + 1000));
    wire.sent();

    stream.close();
    channel.runPendingTasks();
    assertThat(wire.sent()).singleElement().satisfies(f -> assertThat(f.has(RST)).isTrue());
    assertThat(write.isSuccess()).isFalse();
    assertThat(handler.activeStreams()).isZero();
  }
}
