package io.meshwork.networking.mux.yamux;

import static io.meshwork.networking.mux.yamux.YamuxFrame.ACK;
import static io.meshwork.networking.mux.yamux.YamuxFrame.FIN;
import static io.meshwork.networking.mux.yamux.YamuxFrame.RST;
import static io.meshwork.networking.mux.yamux.YamuxFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session as the listener (even ids); the test plays the dialer (odd ids). */
class YamuxHandlerTest {
  private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;
  private final Map<Channel, StreamRecorder> recorders = StreamRecorder.newRegistry();
  private EmbeddedChannel channel;
  private YamuxHandler handler;
  private YamuxWire wire;

  private void start(YamuxConfig config) {
    handler = new YamuxHandler(false, config, StreamRecorder.installer(recorders), () -> 0L);
    channel = new EmbeddedChannel(handler);
    wire = new YamuxWire(channel);
    List<YamuxFrame> initial = wire.sent();
    assertThat(initial)
        .singleElement()
        .satisfies(f -> assertThat(f.type()).isEqualTo(YamuxFrameType.PING));
  }

  private void start() {
    start(YamuxConfig.defaults().withKeepAliveInterval(Duration.ZERO));
  }

  @AfterEach
  void tearDown() {
    if (wire != null) {
      wire.close();
    }
    channel.finishAndReleaseAll();
  }

  private YamuxStreamChannel acceptedStream(int id) {
    return (YamuxStreamChannel)
        recorders.keySet().stream()
            .filter(c -> ((YamuxStreamChannel) c).streamId() == id)
            .findFirst()
            .orElseThrow();
  }

  private YamuxStreamChannel open() {
    Future<YamuxStreamChannel> future = handler.openStream(new ChannelInboundHandlerAdapter());
    channel.runPendingTasks();
    assertThat(future.isSuccess()).isTrue();
    return future.getNow();
  }

  @Test
  void answersPingRequestWithAckEchoingTheOpaqueValue() {
    start();
    wire.receive(YamuxFrame.ping(SYN, 0xFFFF_FFF0L));
    assertThat(wire.sent())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.type()).isEqualTo(YamuxFrameType.PING);
              assertThat(f.flags()).isEqualTo(ACK);
              assertThat(f.length()).isEqualTo(0xFFFF_FFF0L);
            });
  }

  @Test
  void measuresRttFromTheAnswerToItsFirstPing() {
    long[] now = {1_000};
    handler =
        new YamuxHandler(
            true,
            YamuxConfig.defaults().withKeepAliveInterval(Duration.ZERO),
            new ChannelInboundHandlerAdapter(),
            () -> now[0]);
    channel = new EmbeddedChannel(handler);
    wire = new YamuxWire(channel);
    YamuxFrame ping = wire.sent().get(0);
    now[0] = 51_000;
    wire.receive(YamuxFrame.ping(ACK, ping.length()));
    assertThat(handler.rttNanos()).isEqualTo(50_000);
  }

  @Test
  void opensOutboundStreamsWithWindowUpdateSynAndEvenIds() {
    start();
    YamuxStreamChannel first = open();
    YamuxStreamChannel second = open();
    assertThat(first.streamId()).isEqualTo(2);
    assertThat(second.streamId()).isEqualTo(4);
    assertThat(first.parent()).isSameAs(channel);
    assertThat(first.isActive()).isTrue();
    List<YamuxFrame> sent = wire.sent();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).type()).isEqualTo(YamuxFrameType.WINDOW_UPDATE);
    assertThat(sent.get(0).flags()).isEqualTo(SYN);
    assertThat(sent.get(0).length()).isZero();
    assertThat(handler.activeStreams()).isEqualTo(2);
  }

  @Test
  void acceptsInboundStreamAcksItAndDeliversItsData() {
    start();
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0), YamuxWire.data(1, 0, 100));
    YamuxStreamChannel stream = acceptedStream(1);
    assertThat(recorders.get(stream).data.size()).isEqualTo(100);
    assertThat(wire.sent()).singleElement().satisfies(f -> assertThat(f.flags()).isEqualTo(ACK));
  }

  @Test
  void acceptsStreamOpenedByDataWithSyn() {
    start();
    wire.receive(YamuxWire.data(1, SYN, 10));
    assertThat(recorders.get(acceptedStream(1)).data.toByteArray()).hasSize(10);
  }

  @Test
  void writesAreSplitIntoFramesAndStopAtThePeersWindow() {
    start();
    YamuxStreamChannel stream = open();
    wire.sent();
    ChannelFuture write = stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[WINDOW + 1000]));
    channel.runPendingTasks();
    List<YamuxFrame> data = wire.sent(YamuxFrameType.DATA);
    assertThat(data).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(65_507));
    assertThat(data.stream().mapToLong(YamuxFrame::length).sum()).isEqualTo(WINDOW);
    assertThat(write.isDone()).isFalse();
    assertThat(stream.isWritable()).isFalse();
    // plus Netty's per-message overhead in the outbound buffer
    assertThat(handler.pendingWriteBytes()).isBetween(WINDOW + 1000L, WINDOW + 1200L);

    wire.receive(YamuxFrame.windowUpdate(stream.streamId(), ACK, 5000));
    assertThat(wire.sent(YamuxFrameType.DATA))
        .singleElement()
        .satisfies(f -> assertThat(f.length()).isEqualTo(1000));
    assertThat(write.isSuccess()).isTrue();
    assertThat(stream.isWritable()).isTrue();
    assertThat(handler.pendingWriteBytes()).isZero();
  }

  @Test
  void slowReaderGetsNoWindowUpdateUntilItConsumes() {
    start();
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0));
    YamuxStreamChannel stream = acceptedStream(1);
    stream.config().setAutoRead(false);
    wire.sent();
    for (int i = 0; i < 4; i++) {
      wire.receive(YamuxWire.data(1, 0, WINDOW / 4));
    }
    assertThat(wire.sent()).isEmpty();
    assertThat(handler.bufferedReadBytes()).isEqualTo(WINDOW);
    assertThat(recorders.get(stream).data.size()).isZero();

    stream.read();
    channel.runPendingTasks();
    assertThat(recorders.get(stream).data.size()).isEqualTo(WINDOW);
    assertThat(wire.sent())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.type()).isEqualTo(YamuxFrameType.WINDOW_UPDATE);
              assertThat(f.length()).isEqualTo(WINDOW);
            });
  }

  @Test
  void dataPastTheWindowIsAProtocolErrorThatClosesEveryStream() {
    start();
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0), YamuxFrame.windowUpdate(3, SYN, 0));
    YamuxStreamChannel other = acceptedStream(3);
    acceptedStream(1).config().setAutoRead(false);
    wire.sent();
    wire.receive(YamuxWire.data(1, 0, WINDOW));
    wire.receive(YamuxWire.data(1, 0, 1));
    assertThat(wire.sent())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.type()).isEqualTo(YamuxFrameType.GO_AWAY);
              assertThat(f.length()).isEqualTo(YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
            });
    assertThat(channel.isOpen()).isFalse();
    assertThat(other.isOpen()).isFalse();
    assertThat(recorders.get(other).inactive).isTrue();
  }

  @Test
  void unknownFrameTypeIsAProtocolError() {
    start();
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    assertThat(wire.sent()).singleElement().satisfies(f -> assertThat(f.length()).isEqualTo(1));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void oversizedDataFrameIsAProtocolError() {
    start(YamuxConfig.defaults().withKeepAliveInterval(Duration.ZERO));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0, 0}));
    assertThat(wire.sent(YamuxFrameType.GO_AWAY)).hasSize(1);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void reusedStreamIdIsAProtocolError() {
    start();
    wire.receive(YamuxFrame.windowUpdate(3, SYN, 0));
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0));
    assertThat(wire.sent(YamuxFrameType.GO_AWAY)).hasSize(1);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void synWithOurOwnParityIsAProtocolError() {
    start();
    wire.receive(YamuxFrame.windowUpdate(2, SYN, 0));
    assertThat(wire.sent(YamuxFrameType.GO_AWAY)).hasSize(1);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void remoteFinFiresInputShutdownAfterTheDataAndBothFinsCloseTheStream() {
    start();
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0), YamuxWire.data(1, FIN, 5));
    YamuxStreamChannel stream = acceptedStream(1);
    StreamRecorder recorder = recorders.get(stream);
    assertThat(recorder.data.size()).isEqualTo(5);
    assertThat(recorder.events)
        .containsExactly(
            ChannelInputShutdownEvent.INSTANCE, ChannelInputShutdownReadComplete.INSTANCE);
    assertThat(stream.isInputShutdown()).isTrue();
    assertThat(stream.isOpen()).isTrue();

    stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[3]));
    ChannelFuture fin = stream.closeWrite();
    channel.runPendingTasks();
    assertThat(fin.isSuccess()).isTrue();
    List<YamuxFrame> sent = wire.sent();
    assertThat(sent.get(sent.size() - 1).flags()).isEqualTo(FIN);
    assertThat(stream.isOpen()).isFalse();
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void finWaitsForDataHeldBackByTheWindow() {
    start();
    YamuxStreamChannel stream = open();
    wire.sent();
    stream.write(Unpooled.wrappedBuffer(new byte[WINDOW + 10]));
    ChannelFuture fin = stream.closeWrite();
    channel.runPendingTasks();
    assertThat(wire.sent()).noneMatch(f -> f.has(FIN));
    assertThat(fin.isDone()).isFalse();
    assertThat(stream.writeAndFlush(Unpooled.buffer(1)).isSuccess()).isFalse();

    wire.receive(YamuxFrame.windowUpdate(stream.streamId(), 0, 10));
    List<YamuxFrame> sent = wire.sent();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).length()).isEqualTo(10);
    assertThat(sent.get(1).has(FIN)).isTrue();
    assertThat(fin.isSuccess()).isTrue();
  }

  @Test
  void remoteResetFiresStreamResetExceptionAndClosesTheStream() {
    start();
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0));
    YamuxStreamChannel stream = acceptedStream(1);
    ChannelFuture pending = stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[WINDOW + 1]));
    // go-yamux puts an error code in the length of RST frames; it must not count as credit.
    wire.receive(YamuxFrame.windowUpdate(1, RST, 7));
    StreamRecorder recorder = recorders.get(stream);
    assertThat(recorder.errors).singleElement().isInstanceOf(YamuxStreamResetException.class);
    assertThat(stream.isOpen()).isFalse();
    assertThat(pending.isDone() && !pending.isSuccess()).isTrue();
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void resetSendsRst() {
    start();
    YamuxStreamChannel stream = open();
    wire.sent();
    stream.reset();
    channel.runPendingTasks();
    assertThat(wire.sent()).singleElement().satisfies(f -> assertThat(f.has(RST)).isTrue());
    assertThat(stream.isOpen()).isFalse();
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void closeWithUnreadDataSendsRstAndCleanCloseSendsFin() {
    start();
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0), YamuxFrame.windowUpdate(3, SYN, 0));
    acceptedStream(1).config().setAutoRead(false);
    wire.receive(YamuxWire.data(1, 0, 10));
    wire.sent();
    acceptedStream(1).close();
    acceptedStream(3).close();
    channel.runPendingTasks();
    List<YamuxFrame> sent = wire.sent();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).has(RST)).isTrue();
    assertThat(sent.get(1).has(FIN)).isTrue();
    assertThat(handler.bufferedReadBytes()).isZero();
    // Stream 3 awaits the peer's FIN; data instead gets RST.
    assertThat(handler.activeStreams()).isEqualTo(1);
    wire.receive(YamuxWire.data(3, 0, 4));
    assertThat(wire.sent()).singleElement().satisfies(f -> assertThat(f.has(RST)).isTrue());
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void inboundStreamLimitResetsTheExcessAndAcceptsOthersAgainLater() {
    start(YamuxConfig.defaults().withKeepAliveInterval(Duration.ZERO).withMaxInboundStreams(2));
    wire.receive(
        YamuxFrame.windowUpdate(1, SYN, 0),
        YamuxFrame.windowUpdate(3, SYN, 0),
        YamuxFrame.windowUpdate(5, SYN, 0));
    List<YamuxFrame> sent = wire.sent();
    assertThat(sent).extracting(YamuxFrame::flags).containsExactly(ACK, ACK, RST);
    assertThat(sent.get(2).streamId()).isEqualTo(5);
    assertThat(handler.activeStreams()).isEqualTo(2);

    wire.receive(YamuxFrame.windowUpdate(1, RST, 0), YamuxFrame.windowUpdate(7, SYN, 0));
    assertThat(wire.sent()).singleElement().satisfies(f -> assertThat(f.flags()).isEqualTo(ACK));
    assertThat(acceptedStream(7).isActive()).isTrue();
  }

  @Test
  void goAwayStopsNewStreamsBothWaysButExistingOnesContinue() {
    start();
    YamuxStreamChannel existing = open();
    handler.goAway();
    assertThat(wire.sent())
        .last()
        .satisfies(f -> assertThat(f.type()).isEqualTo(YamuxFrameType.GO_AWAY));
    Future<YamuxStreamChannel> refused = handler.openStream(new ChannelInboundHandlerAdapter());
    assertThat(refused.cause()).isInstanceOf(YamuxSessionClosedException.class);
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0));
    assertThat(wire.sent()).singleElement().satisfies(f -> assertThat(f.has(RST)).isTrue());
    existing.writeAndFlush(Unpooled.wrappedBuffer(new byte[3]));
    assertThat(wire.sent(YamuxFrameType.DATA)).hasSize(1);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void receivedGoAwayRefusesNewOutboundStreams() {
    start();
    YamuxStreamChannel existing = open();
    wire.receive(YamuxFrame.goAway(YamuxFrame.GO_AWAY_NORMAL));
    assertThat(handler.openStream(new ChannelInboundHandlerAdapter()).cause())
        .isInstanceOf(YamuxSessionClosedException.class);
    assertThat(existing.isOpen()).isTrue();
  }

  @Test
  void unwritableConnectionHoldsStreamDataAndMakesStreamsUnwritable() {
    start();
    YamuxStreamChannel stream = open();
    wire.sent();
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    channel.runPendingTasks();
    assertThat(stream.isWritable()).isFalse();
    stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
    assertThat(wire.sent()).isEmpty();

    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    channel.runPendingTasks();
    assertThat(wire.sent(YamuxFrameType.DATA)).hasSize(1);
    assertThat(stream.isWritable()).isTrue();
  }

  @Test
  void closingTheConnectionClosesStreamsFailsWritesAndReleasesBuffers() {
    start();
    wire.receive(YamuxFrame.windowUpdate(1, SYN, 0));
    YamuxStreamChannel inbound = acceptedStream(1);
    inbound.config().setAutoRead(false);
    wire.receive(YamuxWire.data(1, 0, 50));
    YamuxStreamChannel outbound = open();
    ChannelFuture pending = outbound.writeAndFlush(Unpooled.directBuffer().writeZero(WINDOW + 5));
    channel.close();
    channel.runPendingTasks();
    assertThat(inbound.isOpen()).isFalse();
    assertThat(outbound.isOpen()).isFalse();
    assertThat(pending.isSuccess()).isFalse();
    assertThat(handler.activeStreams()).isZero();
  }

  @Test
  void unansweredKeepAlivePingClosesTheConnection() {
    start(YamuxConfig.defaults().withKeepAliveInterval(Duration.ofSeconds(5)));
    channel.advanceTimeBy(11, java.util.concurrent.TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }
}
