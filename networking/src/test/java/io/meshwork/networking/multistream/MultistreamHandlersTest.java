package io.meshwork.networking.multistream;

import static io.meshwork.networking.multistream.MultistreamMessage.HEADER;
import static io.meshwork.networking.multistream.MultistreamMessage.NA;
import static io.meshwork.networking.multistream.MultistreamMessage.protocol;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MultistreamHandlersTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final byte[] REQUEST = "request bytes".getBytes(StandardCharsets.UTF_8);
  private static final byte[] RESPONSE = "response bytes".getBytes(StandardCharsets.UTF_8);

  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void releaseEverything() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void agreesOnTheDialersFirstChoice() {
    var dialerApp = new App(new byte[0]);
    var listenerApp = new App(RESPONSE);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/noise", "/tls/1.0.0"), false, TIMEOUT, dialerApp));
    EmbeddedChannel listener =
        channel(
            new MultistreamListener(
                Set.of("/noise", "/tls/1.0.0")::contains, TIMEOUT, listenerApp));

    shuttle(dialer, listener);

    assertThat(dialerApp.selected).containsExactly("/noise");
    assertThat(listenerApp.selected).containsExactly("/noise");
    // The listener's first application bytes travelled with its echo and reached the dialer's app.
    assertThat(dialerApp.received()).isEqualTo(RESPONSE);
    assertNegotiatorGone(dialer, MultistreamDialer.class);
    assertNegotiatorGone(listener, MultistreamListener.class);
    assertThat(dialerApp.failures).isEmpty();
    assertThat(listenerApp.failures).isEmpty();
  }

  @Test
  void agreesOnTheSecondChoiceAfterNa() {
    var dialerApp = new App(REQUEST);
    var listenerApp = new App(new byte[0]);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/tls/1.0.0", "/noise"), false, TIMEOUT, dialerApp));
    EmbeddedChannel listener =
        channel(new MultistreamListener("/noise"::equals, TIMEOUT, listenerApp));

    byte[] listenerSaid = shuttle(dialer, listener).fromListener();

    assertThat(listenerSaid).isEqualTo(concat(HEADER, NA, protocol("/noise")));
    assertThat(dialerApp.selected).containsExactly("/noise");
    assertThat(listenerApp.selected).containsExactly("/noise");
    assertThat(listenerApp.received()).isEqualTo(REQUEST);
  }

  @Test
  void failsWithNoProtocolAgreedWhenTheListenerRefusesEverything() {
    var dialerApp = new App(new byte[0]);
    var listenerApp = new App(new byte[0]);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/tls/1.0.0", "/noise"), false, TIMEOUT, dialerApp));
    EmbeddedChannel listener =
        channel(new MultistreamListener("/yamux/1.0.0"::equals, TIMEOUT, listenerApp));

    shuttle(dialer, listener);

    assertThat(dialerApp.selected).isEmpty();
    assertThat(dialerApp.failures)
        .singleElement()
        .isInstanceOfSatisfying(
            NoProtocolAgreedException.class,
            e -> assertThat(e.protocols()).containsExactly("/tls/1.0.0", "/noise"));
    assertThat(dialer.isOpen()).isFalse();
    // The listener only learns the dialer gave up when the connection closes.
    listener.close();
    assertThat(listenerApp.failures)
        .singleElement()
        .satisfies(e -> assertReason(e, MultistreamException.Reason.CHANNEL_CLOSED));
  }

  @Test
  void lazyDialerSendsHeaderProposalAndDataInOneSegment() {
    var segments = new SegmentCounter();
    var dialerApp = new App(REQUEST);
    EmbeddedChannel dialer =
        channel(
            segments, new MultistreamDialer(List.of("/ipfs/id/1.0.0"), true, TIMEOUT, dialerApp));

    assertThat(dialerApp.selected).containsExactly("/ipfs/id/1.0.0");
    assertThat(segments.segments).isEqualTo(1);
    assertThat(drain(dialer))
        .isEqualTo(concat(concat(HEADER, protocol("/ipfs/id/1.0.0")), REQUEST));
  }

  @Test
  void lazyDialerAndListenerExchangeDataIntact() {
    var dialerApp = new App(REQUEST);
    var listenerApp = new App(RESPONSE);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/ipfs/id/1.0.0"), true, TIMEOUT, dialerApp));
    EmbeddedChannel listener =
        channel(new MultistreamListener("/ipfs/id/1.0.0"::equals, TIMEOUT, listenerApp));

    shuttle(dialer, listener);

    assertThat(listenerApp.selected).containsExactly("/ipfs/id/1.0.0");
    assertThat(listenerApp.received()).isEqualTo(REQUEST);
    assertThat(dialerApp.received()).isEqualTo(RESPONSE);
    assertNegotiatorGone(dialer, MultistreamDialer.class);
    assertNegotiatorGone(listener, MultistreamListener.class);
    assertThat(dialerApp.failures).isEmpty();
  }

  @Test
  void listenerParsesHeaderProposalAndDataArrivingInOneSegment() {
    var listenerApp = new App(new byte[0]);
    EmbeddedChannel listener =
        channel(new MultistreamListener("/ipfs/id/1.0.0"::equals, TIMEOUT, listenerApp));
    drain(listener);

    listener.writeInbound(
        Unpooled.wrappedBuffer(concat(concat(HEADER, protocol("/ipfs/id/1.0.0")), REQUEST)));

    assertThat(drain(listener)).isEqualTo(concat(protocol("/ipfs/id/1.0.0")));
    assertThat(listenerApp.received()).isEqualTo(REQUEST);
    assertNegotiatorGone(listener, MultistreamListener.class);
  }

  @Test
  void listenerPassesSurplusBytesOnEvenWithoutANextHandler() {
    EmbeddedChannel listener =
        channel(new MultistreamListener("/noise"::equals, TIMEOUT, new App(null)));

    listener.writeInbound(
        Unpooled.wrappedBuffer(concat(concat(HEADER, protocol("/noise")), REQUEST)));

    ByteBuf surplus = listener.readInbound();
    try {
      assertThat(ByteBufUtil.getBytes(surplus)).isEqualTo(REQUEST);
    } finally {
      surplus.release();
    }
  }

  @Test
  void lazyDialerFailsAndClosesWhenTheListenerAnswersNa() {
    var dialerApp = new App(REQUEST);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/ipfs/id/1.0.0"), true, TIMEOUT, dialerApp));
    EmbeddedChannel listener =
        channel(new MultistreamListener(protocolId -> false, TIMEOUT, new App(null)));

    shuttle(dialer, listener);

    assertThat(dialerApp.selected).containsExactly("/ipfs/id/1.0.0");
    assertThat(dialerApp.failures)
        .singleElement()
        .isInstanceOfSatisfying(
            NoProtocolAgreedException.class,
            e -> assertThat(e.protocols()).containsExactly("/ipfs/id/1.0.0"));
    assertThat(dialer.isOpen()).isFalse();
    assertThat(dialerApp.received()).isEmpty();
  }

  @Test
  void lazyDialerWaitsForAFragmentedEchoBeforePassingDataOn() {
    var dialerApp = new App(new byte[0]);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/ipfs/id/1.0.0"), true, TIMEOUT, dialerApp));
    byte[] answer = concat(concat(HEADER, protocol("/ipfs/id/1.0.0")), RESPONSE);

    dialer.writeInbound(Unpooled.wrappedBuffer(answer, 0, 25));
    assertThat(dialerApp.received()).isEmpty();
    assertThat(dialer.pipeline().get(MultistreamDialer.class)).isNotNull();
    dialer.writeInbound(Unpooled.wrappedBuffer(answer, 25, answer.length - 25));

    assertThat(dialerApp.received()).isEqualTo(RESPONSE);
    assertNegotiatorGone(dialer, MultistreamDialer.class);
  }

  @Test
  void rejectsAHeaderOfAnotherVersion() {
    var listenerApp = new App(null);
    EmbeddedChannel listener =
        channel(new MultistreamListener("/noise"::equals, TIMEOUT, listenerApp));

    listener.writeInbound(
        Unpooled.wrappedBuffer(concat(protocol("/multistream/2.0.0"), protocol("/noise"))));

    assertThat(listenerApp.failures)
        .singleElement()
        .satisfies(e -> assertReason(e, MultistreamException.Reason.UNEXPECTED_MESSAGE));
    assertThat(listenerApp.selected).isEmpty();
    assertThat(listener.isOpen()).isFalse();
  }

  @Test
  void rejectsAnOversizedMessageAndClosesTheChannel() {
    var listenerApp = new App(null);
    EmbeddedChannel listener =
        channel(new MultistreamListener("/noise"::equals, TIMEOUT, listenerApp));
    ByteBuf oversized = Unpooled.buffer().writeBytes(concat(HEADER));
    oversized.writeByte(0x81).writeByte(0x08).writeByte('/').writeZero(1023);

    listener.writeInbound(oversized);

    assertThat(listenerApp.failures)
        .singleElement()
        .isInstanceOf(MultistreamProtocolException.class)
        .satisfies(e -> assertReason(e, MultistreamException.Reason.MALFORMED_MESSAGE));
    assertThat(listener.isOpen()).isFalse();
  }

  @Test
  void rejectsAMessageWithoutNewline() {
    var dialerApp = new App(null);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/noise"), false, TIMEOUT, dialerApp));

    dialer.writeInbound(
        Unpooled.wrappedBuffer(new byte[] {0x03, '/', 'a', 'b', 0x03, 'n', 'a', '\n'}));

    assertThat(dialerApp.failures)
        .singleElement()
        .satisfies(e -> assertReason(e, MultistreamException.Reason.MALFORMED_MESSAGE));
    assertThat(dialer.isOpen()).isFalse();
  }

  @Test
  void waitsForTheRestOfATruncatedVarint() {
    var listenerApp = new App(null);
    EmbeddedChannel listener =
        channel(new MultistreamListener(p -> p.startsWith("/long/"), TIMEOUT, listenerApp));
    String longId = "/long/" + "x".repeat(200);
    byte[] wire = concat(HEADER, protocol(longId));
    int varintStart = concat(HEADER).length;

    listener.writeInbound(Unpooled.wrappedBuffer(wire, 0, varintStart + 1));
    assertThat(listener.isOpen()).isTrue();
    assertThat(listenerApp.selected).isEmpty();
    assertThat(listenerApp.failures).isEmpty();
    listener.writeInbound(
        Unpooled.wrappedBuffer(wire, varintStart + 1, wire.length - varintStart - 1));

    assertThat(listenerApp.selected).containsExactly(longId);
  }

  @Test
  void listenerAnswersLsWithNa() {
    EmbeddedChannel listener =
        channel(new MultistreamListener("/noise"::equals, TIMEOUT, new App(null)));
    drain(listener);

    listener.writeInbound(Unpooled.wrappedBuffer(concat(HEADER, MultistreamMessage.LS)));

    assertThat(drain(listener)).isEqualTo(concat(NA));
    assertThat(listener.isOpen()).isTrue();
  }

  @Test
  void failsWithTimeoutWhenThePeerNeverAnswers() {
    var dialerApp = new App(null);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/noise"), false, TIMEOUT, dialerApp));

    dialer.advanceTimeBy(9, TimeUnit.SECONDS);
    dialer.runScheduledPendingTasks();
    assertThat(dialerApp.failures).isEmpty();
    dialer.advanceTimeBy(1, TimeUnit.SECONDS);
    dialer.runScheduledPendingTasks();

    assertThat(dialerApp.failures)
        .singleElement()
        .satisfies(e -> assertReason(e, MultistreamException.Reason.TIMEOUT));
    assertThat(dialer.isOpen()).isFalse();
  }

  @Test
  void lazyDialerTimesOutWithoutAnEcho() {
    var dialerApp = new App(REQUEST);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/ipfs/id/1.0.0"), true, TIMEOUT, dialerApp));
    dialer.writeInbound(Unpooled.wrappedBuffer(concat(HEADER)));

    dialer.advanceTimeBy(10, TimeUnit.SECONDS);
    dialer.runScheduledPendingTasks();

    assertThat(dialerApp.failures)
        .singleElement()
        .satisfies(e -> assertReason(e, MultistreamException.Reason.TIMEOUT));
    assertThat(dialer.isOpen()).isFalse();
  }

  @Test
  void cancelsTheTimeoutOnceAProtocolIsAgreed() {
    var dialerApp = new App(null);
    var listenerApp = new App(null);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/noise"), false, TIMEOUT, dialerApp));
    EmbeddedChannel listener =
        channel(new MultistreamListener("/noise"::equals, TIMEOUT, listenerApp));
    shuttle(dialer, listener);

    dialer.advanceTimeBy(1, TimeUnit.MINUTES);
    listener.advanceTimeBy(1, TimeUnit.MINUTES);
    dialer.runScheduledPendingTasks();
    listener.runScheduledPendingTasks();

    assertThat(dialerApp.failures).isEmpty();
    assertThat(listenerApp.failures).isEmpty();
    assertThat(dialer.isOpen()).isTrue();
    assertThat(listener.isOpen()).isTrue();
  }

  @Test
  void reportsAChannelClosedBeforeAgreement() {
    var dialerApp = new App(null);
    EmbeddedChannel dialer =
        channel(new MultistreamDialer(List.of("/noise"), false, TIMEOUT, dialerApp));
    dialer.writeInbound(Unpooled.wrappedBuffer(concat(HEADER)));

    dialer.close();

    assertThat(dialerApp.failures)
        .singleElement()
        .satisfies(e -> assertReason(e, MultistreamException.Reason.CHANNEL_CLOSED));
  }

  @Test
  void startsWhenAddedToAnAlreadyActiveChannel() {
    EmbeddedChannel dialer = channel();
    assertThat(dialer.isActive()).isTrue();

    dialer
        .pipeline()
        .addLast(new MultistreamDialer(List.of("/noise"), false, TIMEOUT, new App(null)));

    assertThat(drain(dialer)).isEqualTo(concat(HEADER, protocol("/noise")));
  }

  @Test
  void failsTheNegotiationWhenTheSelectionCallbackThrows() {
    var failures = new ArrayList<Throwable>();
    NegotiationListener throwing =
        new NegotiationListener() {
          @Override
          public void selected(ChannelHandlerContext ctx, String protocol) {
            throw new IllegalStateException("no handler for " + protocol);
          }

          @Override
          public void failed(Throwable cause) {
            failures.add(cause);
          }
        };
    EmbeddedChannel listener =
        channel(new MultistreamListener("/noise"::equals, TIMEOUT, throwing));

    listener.writeInbound(
        Unpooled.wrappedBuffer(concat(concat(HEADER, protocol("/noise")), REQUEST)));

    assertThat(failures).singleElement().isInstanceOf(IllegalStateException.class);
    assertThat(listener.isOpen()).isFalse();
  }

  // ---- helpers ----

  private EmbeddedChannel channel(ChannelHandler... handlers) {
    EmbeddedChannel channel = new EmbeddedChannel(handlers);
    channels.add(channel);
    return channel;
  }

  private record Transcript(byte[] fromDialer, byte[] fromListener) {}

  /**
   * Moves bytes both ways until both sides are quiet; each batch a side wrote is delivered as one
   * buffer, like one TCP segment.
   */
  private static Transcript shuttle(EmbeddedChannel dialer, EmbeddedChannel listener) {
    var fromDialer = new ByteArrayOutputStream();
    var fromListener = new ByteArrayOutputStream();
    for (int round = 0; round < 100; round++) {
      byte[] d = drain(dialer);
      byte[] l = drain(listener);
      if (d.length == 0 && l.length == 0) {
        return new Transcript(fromDialer.toByteArray(), fromListener.toByteArray());
      }
      fromDialer.writeBytes(d);
      fromListener.writeBytes(l);
      deliver(d, listener);
      deliver(l, dialer);
    }
    throw new AssertionError("negotiation did not settle");
  }

  private static void deliver(byte[] bytes, EmbeddedChannel to) {
    if (bytes.length > 0 && to.isOpen()) {
      to.writeInbound(Unpooled.wrappedBuffer(bytes));
    }
  }

  private static byte[] drain(EmbeddedChannel channel) {
    var out = new ByteArrayOutputStream();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      out.writeBytes(ByteBufUtil.getBytes(buf));
      buf.release();
    }
    return out.toByteArray();
  }

  private static byte[] concat(MultistreamMessage... messages) {
    var out = new ByteArrayOutputStream();
    for (MultistreamMessage message : messages) {
      out.writeBytes(MultistreamMessageTest.bytes(message));
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static void assertNegotiatorGone(
      EmbeddedChannel channel, Class<? extends ChannelHandler> type) {
    assertThat(channel.pipeline().get(type)).isNull();
    assertThat(channel.isOpen()).isTrue();
  }

  private static void assertReason(Throwable e, MultistreamException.Reason reason) {
    assertThat(e).isInstanceOf(MultistreamException.class);
    assertThat(((MultistreamException) e).reason()).isEqualTo(reason);
  }

  /**
   * The application side: records the outcome and, when {@code greeting} is not null, installs a
   * handler that writes {@code greeting} as soon as it is added and records what it reads.
   */
  private static final class App implements NegotiationListener {
    final List<String> selected = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();
    private final byte[] greeting;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    App(byte[] greeting) {
      this.greeting = greeting;
    }

    byte[] received() {
      return received.toByteArray();
    }

    @Override
    public void selected(ChannelHandlerContext ctx, String protocol) {
      selected.add(protocol);
      if (greeting == null) {
        return;
      }
      ctx.pipeline()
          .addAfter(
              ctx.name(),
              "app",
              new ChannelInboundHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext appCtx) {
                  if (greeting.length > 0) {
                    appCtx.writeAndFlush(Unpooled.wrappedBuffer(greeting));
                  }
                }

                @Override
                public void channelRead(ChannelHandlerContext appCtx, Object msg) {
                  ByteBuf buf = (ByteBuf) msg;
                  try {
                    received.writeBytes(ByteBufUtil.getBytes(buf));
                  } finally {
                    buf.release();
                  }
                }
              });
    }

    @Override
    public void failed(Throwable cause) {
      failures.add(cause);
    }
  }

  /** Counts flushes that carry bytes: what leaves in one flush can share a TCP segment. */
  private static final class SegmentCounter extends ChannelOutboundHandlerAdapter {
    int segments;
    private int pending;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      pending += ((ByteBuf) msg).readableBytes();
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (pending > 0) {
        segments++;
        pending = 0;
      }
      ctx.flush();
    }
  }
}
