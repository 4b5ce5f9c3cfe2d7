package io.meshwork.networking.security.noise;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.security.noise.NoiseHandshakeException.Reason;
import io.meshwork.networking.security.noise.pb.NoiseProto.NoiseHandshakePayload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseHandshakeHandlerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String YAMUX = "/yamux/1.0.0";
  private static final String MPLEX = "/mplex/6.7.0";

  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void releaseEverything() {
    for (EmbeddedChannel channel : channels) {
      channel.finishAndReleaseAll();
    }
  }

  @ParameterizedTest(name = "initiator {0}, responder {1}")
  @CsvSource({
    "ED25519, ED25519",
    "ED25519, SECP256K1",
    "SECP256K1, ED25519",
    "SECP256K1, SECP256K1"
  })
  void completesHandshakeAndIdentifiesBothPeers(KeyType initiatorType, KeyType responderType) {
    PrivateKey initiatorKey = PrivateKey.generate(initiatorType);
    PrivateKey responderKey = PrivateKey.generate(responderType);
    Peer initiator =
        peer(
            NoiseRole.INITIATOR,
            initiatorKey,
            Optional.of(PeerId.fromPublicKey(responderKey.publicKey())),
            List.of());
    Peer responder = peer(NoiseRole.RESPONDER, responderKey, Optional.empty(), List.of());

    shuttle(initiator, responder);

    assertThat(initiator.listener.session.remotePeerId())
        .isEqualTo(PeerId.fromPublicKey(responderKey.publicKey()));
    assertThat(initiator.listener.session.remotePublicKey()).isEqualTo(responderKey.publicKey());
    assertThat(responder.listener.session.remotePeerId())
        .isEqualTo(PeerId.fromPublicKey(initiatorKey.publicKey()));
    for (Peer peer : List.of(initiator, responder)) {
      assertThat(peer.listener.failure).isNull();
      assertThat(peer.channel.pipeline().get(NoiseHandshakeHandler.class)).isNull();
      assertThat(peer.channel.pipeline().get(NoiseTransportCodec.class)).isNotNull();
      assertThat(peer.listener.context.handler()).isInstanceOf(NoiseTransportCodec.class);
    }
  }

  @Test
  void agreesOnTheInitiatorsFirstMuxerThatTheResponderSupports() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of(MPLEX, YAMUX));
    Peer responder = peer(NoiseRole.RESPONDER, List.of(YAMUX, MPLEX));

    shuttle(initiator, responder);

    assertThat(initiator.listener.session.earlyMuxer()).hasValue(MPLEX);
    assertThat(responder.listener.session.earlyMuxer()).hasValue(MPLEX);
  }

  @Test
  void failsWhenBothSidesOfferMuxersButNoneIsCommon() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of(MPLEX));
    Peer responder = peer(NoiseRole.RESPONDER, List.of(YAMUX));

    shuttle(initiator, responder);

    assertFailed(initiator, Reason.NO_COMMON_MUXER);
    assertThat(responder.listener.session).isNull();
  }

  @Test
  void fallsBackToMultistreamWhenOneSideOffersNoMuxer() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of(YAMUX));
    Peer responder = peer(NoiseRole.RESPONDER, List.of());

    shuttle(initiator, responder);

    assertThat(initiator.listener.session.earlyMuxer()).isEmpty();
    assertThat(responder.listener.session.earlyMuxer()).isEmpty();
  }

  @Test
  void rejectsHandshakeWithMismatchedPeerId() {
    PeerId someoneElse = PeerId.fromPublicKey(PrivateKey.generate(KeyType.ED25519).publicKey());
    Peer initiator =
        peer(
            NoiseRole.INITIATOR,
            PrivateKey.generate(KeyType.ED25519),
            Optional.of(someoneElse),
            List.of());
    Peer responder = peer(NoiseRole.RESPONDER, List.of());

    shuttle(initiator, responder);

    assertFailed(initiator, Reason.PEER_ID_MISMATCH);
    assertThat(initiator.listener.failure).hasMessageContaining(someoneElse.toString());
    assertThat(responder.listener.session).isNull();
  }

  @Test
  void rejectsAnIdentitySignatureOverAnotherStaticKey() throws Exception {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    HandshakeState forger =
        new HandshakeState(NoiseRole.RESPONDER, new byte[0], X25519KeyPair.generate());
    forger.readMessage(frameBody(initiator.channel.readOutbound()));
    PrivateKey identity = PrivateKey.generate(KeyType.ED25519);
    byte[] otherStaticKey = X25519KeyPair.generate().publicKey();
    byte[] payload =
        NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
            .setIdentitySig(ByteString.copyFrom(identity.sign(signed(otherStaticKey))))
            .build()
            .toByteArray();

    initiator.channel.writeInbound(frame(forger.writeMessage(payload)));

    assertFailed(initiator, Reason.BAD_IDENTITY_SIGNATURE);
  }

  @Test
  void rejectsAPayloadWithoutIdentityKey() throws Exception {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    HandshakeState forger =
        new HandshakeState(NoiseRole.RESPONDER, new byte[0], X25519KeyPair.generate());
    forger.readMessage(frameBody(initiator.channel.readOutbound()));

    initiator.channel.writeInbound(frame(forger.writeMessage(new byte[0])));

    assertFailed(initiator, Reason.INVALID_IDENTITY_KEY);
  }

  @Test
  void rejectsAGarbageSecondMessageAndClosesTheChannel() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    initiator.channel.<ByteBuf>readOutbound().release();
    byte[] garbage = new byte[200];
    new Random(3).nextBytes(garbage);

    initiator.channel.writeInbound(frame(garbage));

    assertFailed(initiator, Reason.DECRYPTION_FAILED);
  }

  @Test
  void rejectsATruncatedSecondMessage() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    Peer responder = peer(NoiseRole.RESPONDER, List.of());
    responder.channel.writeInbound(initiator.channel.<ByteBuf>readOutbound());
    ByteBuf message2 = responder.channel.readOutbound();
    byte[] truncated = new byte[60];
    message2.getBytes(2, truncated);
    message2.release();

    initiator.channel.writeInbound(frame(truncated));

    assertFailed(initiator, Reason.MALFORMED_MESSAGE);
  }

  @Test
  void reportsAConnectionClosedInTheMiddleOfAFrame() {
    Peer responder = peer(NoiseRole.RESPONDER, List.of());
    responder.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 32, 1, 2, 3}));

    responder.channel.close();

    assertFailed(responder, Reason.CONNECTION_CLOSED);
  }

  @Test
  void rejectsAnOversizedHandshakeFrameWithoutWaitingForIt() {
    Peer responder = peer(NoiseRole.RESPONDER, List.of());

    responder.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff}));

    assertFailed(responder, Reason.MESSAGE_TOO_LARGE);
  }

  @Test
  void rejectsAnEmptyHandshakeFrame() {
    Peer responder = peer(NoiseRole.RESPONDER, List.of());

    responder.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0}));

    assertFailed(responder, Reason.MALFORMED_MESSAGE);
  }

  @Test
  void failsTheHandshakeWhenItTimesOut() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    initiator.channel.<ByteBuf>readOutbound().release();

    initiator.channel.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
    initiator.channel.runScheduledPendingTasks();
    assertThat(initiator.listener.failure).isNull();
    assertThat(initiator.channel.isOpen()).isTrue();
    initiator.channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    initiator.channel.runScheduledPendingTasks();

    assertFailed(initiator, Reason.TIMEOUT);
  }

  @Test
  void refusesApplicationWritesDuringTheHandshake() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    initiator.channel.<ByteBuf>readOutbound().release();
    ByteBuf data = Unpooled.buffer().writeZero(10);

    assertThat(initiator.channel.writeOneOutbound(data).cause())
        .isInstanceOf(IllegalStateException.class);
    assertThat(data.refCnt()).isZero();
    assertThat((Object) initiator.channel.readOutbound()).isNull();
  }

  @Test
  void roundTripsOneMebibyteEachWay() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    Peer responder = peer(NoiseRole.RESPONDER, List.of());
    shuttle(initiator, responder);

    assertTransfers(initiator, responder, 1 << 20);
    assertTransfers(responder, initiator, 1 << 20);
  }

  @Test
  void passesOnDataThatArrivesWithTheLastHandshakeMessageAfterEstablished() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    Peer responder = peer(NoiseRole.RESPONDER, List.of());
    List<String> events = new ArrayList<>();
    initiator.listener.onEstablished =
        ctx -> ctx.channel().writeAndFlush(Unpooled.copiedBuffer("early", UTF_8));
    responder.listener.onEstablished =
        ctx -> {
          events.add("established");
          ctx.pipeline()
              .addAfter(
                  ctx.name(),
                  "recorder",
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext c, Object msg) {
                      ByteBuf buf = (ByteBuf) msg;
                      events.add(buf.toString(UTF_8));
                      buf.release();
                    }
                  });
        };
    responder.channel.writeInbound(initiator.channel.<ByteBuf>readOutbound());
    initiator.channel.writeInbound(responder.channel.<ByteBuf>readOutbound());
    ByteBuf message3 = initiator.channel.readOutbound();
    ByteBuf early = initiator.channel.readOutbound();

    responder.channel.writeInbound(Unpooled.wrappedBuffer(message3, early));

    assertThat(events).containsExactly("established", "early");
  }

  @Test
  void closesTheConnectionOnATamperedTransportFrame() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    Peer responder = peer(NoiseRole.RESPONDER, List.of());
    shuttle(initiator, responder);
    initiator.channel.writeOutbound(Unpooled.buffer().writeZero(100));
    ByteBuf frame = initiator.channel.readOutbound();
    frame.setByte(50, frame.getByte(50) ^ 1);

    assertThatThrownBy(() -> responder.channel.writeInbound(frame))
        .isInstanceOf(NoiseTransportException.class)
        .hasMessageContaining("did not authenticate");
    assertThat(responder.channel.isOpen()).isFalse();
    assertThat((Object) responder.channel.readInbound()).isNull();
  }

  @Test
  void closesTheConnectionOnATransportFrameTooShortForTheTag() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    Peer responder = peer(NoiseRole.RESPONDER, List.of());
    shuttle(initiator, responder);

    assertThatThrownBy(
            () -> responder.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 9, 9})))
        .isInstanceOf(NoiseTransportException.class);
    assertThat(responder.channel.isOpen()).isFalse();
  }

  @Test
  void decryptsFramesSplitAcrossReadsAndWaitsForTheRest() {
    Peer initiator = peer(NoiseRole.INITIATOR, List.of());
    Peer responder = peer(NoiseRole.RESPONDER, List.of());
    shuttle(initiator, responder);
    initiator.channel.writeOutbound(Unpooled.buffer().writeZero(1000));
    ByteBuf frame = initiator.channel.readOutbound();

    responder.channel.writeInbound(frame.readRetainedSlice(500));
    assertThat((Object) responder.channel.readInbound()).isNull();
    responder.channel.writeInbound(frame);

    ByteBuf plaintext = responder.channel.readInbound();
    assertThat(plaintext.readableBytes()).isEqualTo(1000);
    plaintext.release();
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertTransfers(Peer from, Peer to, int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    int chunk = 100_000; // not a multiple of the 65519-byte frame payload
    for (int offset = 0; offset < size; offset += chunk) {
      from.channel.writeOutbound(
          Unpooled.wrappedBuffer(data, offset, Math.min(chunk, size - offset)));
    }
    ByteBuf received = Unpooled.buffer(size);
    try {
      for (ByteBuf frame; (frame = from.channel.readOutbound()) != null; ) {
        assertThat(frame.readableBytes()).isLessThanOrEqualTo(2 + 65535);
        to.channel.writeInbound(frame);
      }
      for (ByteBuf plaintext; (plaintext = to.channel.readInbound()) != null; ) {
        received.writeBytes(plaintext);
        plaintext.release();
      }
      assertThat(received.readableBytes()).isEqualTo(size);
      assertThat(ByteBufUtil.getBytes(received)).isEqualTo(data);
    } finally {
      received.release();
    }
  }

  private static void assertFailed(Peer peer, Reason reason) {
    assertThat(peer.listener.failure)
        .isInstanceOfSatisfying(
            NoiseHandshakeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    assertThat(peer.listener.calls).isEqualTo(1);
    assertThat(peer.listener.session).isNull();
    assertThat(peer.channel.isOpen()).isFalse();
  }

  /** Moves bytes between the two channels until neither has anything more to send. */
  private static void shuttle(Peer a, Peer b) {
    boolean moved = true;
    while (moved) {
      moved = move(a.channel, b.channel) | move(b.channel, a.channel);
    }
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (ByteBuf buf; (buf = from.readOutbound()) != null; ) {
      moved = true;
      if (to.isOpen()) {
        to.writeInbound(buf);
      } else {
        buf.release();
      }
    }
    return moved;
  }

  private Peer peer(NoiseRole role, List<String> muxers) {
    return peer(role, PrivateKey.generate(KeyType.ED25519), Optional.empty(), muxers);
  }

  private Peer peer(
      NoiseRole role, PrivateKey key, Optional<PeerId> expected, List<String> muxers) {
    RecordingListener listener = new RecordingListener();
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(role, key, expected, muxers, TIMEOUT, listener));
    channels.add(channel);
    return new Peer(channel, listener);
  }

  private static ByteBuf frame(byte[] message) {
    return Unpooled.buffer().writeShort(message.length).writeBytes(message);
  }

  private static byte[] frameBody(ByteBuf frame) {
    try {
      byte[] body = new byte[frame.getUnsignedShort(0)];
      frame.getBytes(2, body);
      return body;
    } finally {
      frame.release();
    }
  }

  private static byte[] signed(byte[] staticKey) {
    byte[] prefix = NoiseHandshake.STATIC_KEY_SIGNATURE_PREFIX;
    byte[] out = new byte[prefix.length + staticKey.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(staticKey, 0, out, prefix.length, staticKey.length);
    return out;
  }

  private record Peer(EmbeddedChannel channel, RecordingListener listener) {}

  private static final class RecordingListener implements SecureSessionListener {
    SecureSession session;
    ChannelHandlerContext context;
    Throwable failure;
    int calls;
    Consumer<ChannelHandlerContext> onEstablished = ctx -> {};

    @Override
    public void established(ChannelHandlerContext ctx, SecureSession session) {
      calls++;
      this.session = session;
      this.context = ctx;
      onEstablished.accept(ctx);
    }

    @Override
    public void failed(Throwable cause) {
      calls++;
      failure = cause;
    }
  }
}
