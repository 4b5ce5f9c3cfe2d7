package io.meshwork.networking.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.mux.yamux.YamuxConfig;
import io.meshwork.networking.mux.yamux.YamuxFrame;
import io.meshwork.networking.mux.yamux.YamuxFrameDecoder;
import io.meshwork.networking.mux.yamux.YamuxFrameEncoder;
import io.meshwork.networking.mux.yamux.YamuxHandler;
import io.meshwork.networking.protocol.identify.IdentifyService;
import io.meshwork.networking.protocol.ping.PingService;
import io.meshwork.networking.security.noise.ForgedNoiseInitiator;
import io.meshwork.networking.testsupport.Eventually;
import io.meshwork.networking.transport.ConnectionUpgrader;
import io.meshwork.networking.transport.TcpTransport;
import io.meshwork.networking.transport.UpgradeConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Bad input, layer by layer, against a real listening host over loopback: an attacker misbehaves at
 * one layer (multistream-select, Noise, Yamux, an application protocol), the victim closes that
 * connection or stream with a logged reason, and an honest peer can still connect and ping it. The
 * leak check extension fails the class if any buffer leaked on the way.
 */
class HostBadInputIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);
  private static final int PING = 2;
  private static final int GO_AWAY = 3;
  private static final int WINDOW_UPDATE = 1;

  private final List<Host> hosts = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final LogCapture logs =
      new LogCapture(
          "io.meshwork.networking.host.BasicHost",
          "io.meshwork.networking.multistream.MultistreamNegotiator",
          "io.meshwork.networking.security.noise.NoiseHandshakeHandler",
          "io.meshwork.networking.mux.yamux.YamuxHandler");

  @AfterEach
  void tearDown() throws Exception {
    logs.close();
    for (AutoCloseable resource : resources) {
      resource.close();
    }
    hosts.forEach(Host::close);
  }

  // ---- multistream-select ----

  @Test
  void closesAConnectionThatOpensWithAVarintLongerThanNineBytes() throws Exception {
    Host victim = host(new HostBuilder());
    Socket attacker = rawConnect(victim);

    byte[] tenContinuationBytes = new byte[10];
    Arrays.fill(tenContinuationBytes, (byte) 0xFF);
    send(attacker, tenContinuationBytes);

    assertClosedByVictim(attacker);
    logs.eventuallyContains("127.0.0.1:" + attacker.getLocalPort(), "bad length prefix");
    honestPeerCanPing(victim);
  }

  @Test
  void closesAConnectionThatAnnouncesAMultistreamLineOfFiveThousandBytes() throws Exception {
    Host victim = host(new HostBuilder());
    Socket attacker = rawConnect(victim);

    // varint 5000 = 0x88 0x27, then the first bytes of a line that would never fit
    send(attacker, new byte[] {(byte) 0x88, 0x27, '/', 'x', 'x', 'x'});

    assertClosedByVictim(attacker);
    logs.eventuallyContains(
        "127.0.0.1:" + attacker.getLocalPort(), "5000 bytes exceeds the limit of 1024");
    honestPeerCanPing(victim);
  }

  // ---- Noise ----

  @Test
  void closesAStalledTruncatedNoiseMessageAtTheHandshakeTimeoutWhileServingOthers()
      throws Exception {
    Duration handshakeTimeout = Duration.ofSeconds(2);
    Host victim =
        host(
            new HostBuilder()
                .upgrade(
                    new UpgradeConfig(
                        true,
                        Duration.ofSeconds(10),
                        handshakeTimeout,
                        Duration.ofSeconds(10),
                        YamuxConfig.defaults())));
    Socket attacker = rawConnect(victim);
    agreeOnNoise(attacker);

    // Message 1 announced as 32 bytes, only 10 sent; the socket stays open.
    send(attacker, truncatedNoiseMessage());

    // While the half-sent handshake hangs, others are served.
    honestPeerCanPing(victim);
    assertClosedByVictim(attacker);
    logs.eventuallyContains(
        "127.0.0.1:" + attacker.getLocalPort(),
        "Noise handshake failed: TIMEOUT: no complete handshake within " + handshakeTimeout);
    honestPeerCanPing(victim);
  }

  @Test
  void closesATruncatedNoiseMessageWhenTheAttackerHangsUp() throws Exception {
    Host victim = host(new HostBuilder()); // 10 s handshake timeout: only the FIN can close it
    Socket attacker = rawConnect(victim);
    agreeOnNoise(attacker);

    send(attacker, truncatedNoiseMessage());
    attacker.shutdownOutput();

    assertClosedByVictim(attacker);
    logs.eventuallyContains(
        "127.0.0.1:" + attacker.getLocalPort(), "Noise handshake failed: CONNECTION_CLOSED");
    honestPeerCanPing(victim);
  }

  @Test
  void rejectsAnInitiatorWhoseIdentitySignatureCoversAnotherStaticKey() throws Exception {
    Host victim = host(new HostBuilder());
    Socket attacker = rawConnect(victim);
    agreeOnNoise(attacker);
    ForgedNoiseInitiator forger = new ForgedNoiseInitiator(PrivateKey.generate(KeyType.ED25519));

    send(attacker, noiseFrame(forger.firstMessage()));
    byte[] second = readNoiseFrame(attacker);
    send(attacker, noiseFrame(forger.forgedThirdMessage(second)));

    assertClosedByVictim(attacker);
    logs.eventuallyContains(
        "127.0.0.1:" + attacker.getLocalPort(), "Noise handshake failed: BAD_IDENTITY_SIGNATURE");
    assertThat(victim.connections()).isEmpty();
    honestPeerCanPing(victim);
  }

  // ---- Yamux ----

  @Test
  void sendsGoAwayAndClosesWhenAStreamOverrunsItsWindow() throws Exception {
    Host victim = host(new HostBuilder());
    RawYamux attacker = rawYamuxTo(victim);

    int overrun = 300 * 1024; // the window of a new stream is 256 KiB
    ByteBuf frame = header(0, YamuxFrame.SYN, 1, overrun).writeZero(overrun);
    attacker.channel.writeAndFlush(frame);

    attacker.assertGoAwayWithProtocolErrorAndClosed();
    logs.eventuallyContains(
        "127.0.0.1:" + attacker.localPort(),
        "yamux protocol error",
        "stream 1 overran its receive window: " + overrun + " bytes");
    honestPeerCanPing(victim);
  }

  @Test
  void sendsGoAwayAndClosesOnAnUnknownFrameType() throws Exception {
    Host victim = host(new HostBuilder());
    RawYamux attacker = rawYamuxTo(victim);

    attacker.channel.writeAndFlush(header(7, 0, 0, 0));

    attacker.assertGoAwayWithProtocolErrorAndClosed();
    logs.eventuallyContains(
        "127.0.0.1:" + attacker.localPort(), "yamux protocol error", "unknown yamux frame type 7");
    honestPeerCanPing(victim);
  }

  @Test
  void resetsStreamsPastTheInboundLimitAndKeepsTheConnection() throws Exception {
    Host victim = host(new HostBuilder());
    RawYamux attacker = rawYamuxTo(victim);
    int limit = YamuxConfig.defaults().maxInboundStreams();
    List<Integer> ids = IntStream.range(0, limit + 44).map(i -> 2 * i + 1).boxed().toList();

    ByteBuf syns = Unpooled.buffer(ids.size() * YamuxFrame.HEADER_LENGTH);
    ids.forEach(id -> writeHeader(syns, WINDOW_UPDATE, YamuxFrame.SYN, id, 0));
    attacker.channel.writeAndFlush(syns);

    List<Integer> accepted = ids.subList(0, limit);
    List<Integer> excess = ids.subList(limit, ids.size());
    Eventually.holds(
        () -> {
          assertThat(attacker.streamsWith(YamuxFrame.RST))
              .containsExactlyInAnyOrderElementsOf(excess);
          assertThat(attacker.streamsWith(YamuxFrame.ACK)).containsAll(accepted);
        });
    // While the 256 streams are held open, the victim serves others and this connection.
    honestPeerCanPing(victim);
    long opaque = 0x5EED;
    attacker.channel.writeAndFlush(header(PING, YamuxFrame.SYN, 0, opaque));
    Eventually.holds(
        () -> assertThat(attacker.frames).contains(new RawFrame(PING, YamuxFrame.ACK, 0, opaque)));
    assertThat(attacker.channel.isActive()).isTrue();
    assertThat(attacker.streamsWith(YamuxFrame.RST)).doesNotContainAnyElementsOf(accepted);
    logs.eventuallyContains(
        "127.0.0.1:" + attacker.localPort(), "refusing yamux stream " + ids.get(ids.size() - 1));
  }

  // ---- application protocols ----

  @Test
  void holdsBackAPingFloodAndUnreadIdentifyStreamsWhileServingOthers() throws Exception {
    Host victim = host(new HostBuilder());
    Host flooder = host(new HostBuilder());
    await(flooder.dial(addressOf(victim)));
    List<Stream> unreadIdentify = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      unreadIdentify.add(
          await(flooder.newStream(victim.peerId(), List.of(IdentifyService.PROTOCOL_ID))));
    }
    Stream ping = await(flooder.newStream(victim.peerId(), List.of(PingService.PROTOCOL_ID)));

    // The flooder never reads the echoes: the victim must stop reading, so the flood stalls.
    long cap = 64L * 1024 * 1024;
    long written = floodUntilStalled(ping, cap);

    // Bounded by the victim's receive window (at most 16 MiB after auto-tuning) plus the echo
    // that fits the flooder's window and the muxers' high-water marks; never the whole cap.
    long bound = YamuxConfig.defaults().maxWindow() + 4L * 1024 * 1024;
    assertThat(written).isGreaterThanOrEqualTo(YamuxConfig.SPEC_INITIAL_WINDOW).isLessThan(bound);
    HostConnection victimSide = (HostConnection) victim.connection(flooder.peerId()).orElseThrow();
    YamuxHandler muxer = victimSide.upgraded().muxer();
    assertThat(muxer.bufferedReadBytes()).isBetween(0L, bound);
    assertThat(muxer.bufferedReadBytes() + muxer.pendingWriteBytes()).isLessThan(bound);

    honestPeerCanPing(victim);
    // The stalled stream does not block the flooder's own connection either.
    assertThat(await(new PingService(flooder, System::nanoTime).ping(victim.peerId(), 1)))
        .hasSize(1);
  }

  @Test
  void echoesPingPayloadsSplitAcrossFramesIntact() throws Exception {
    Host victim = host(new HostBuilder());
    Host client = host(new HostBuilder());
    await(client.dial(addressOf(victim)));
    Stream stream = await(client.newStream(victim.peerId(), List.of(PingService.PROTOCOL_ID)));
    byte[] sent = new byte[35 * PingService.PAYLOAD_SIZE];
    new Random(3).nextBytes(sent);
    CompletableFuture<byte[]> echoed = new CompletableFuture<>();
    ByteBuffer received = ByteBuffer.allocate(sent.length);
    stream.read(
        new StreamReader() {
          @Override
          public void onData(ByteBuffer data) {
            received.put(data);
            if (!received.hasRemaining()) {
              echoed.complete(received.array());
            }
          }
        });

    // Each write is its own Yamux frame, so payloads reach the server split and joined.
    int offset = 0;
    for (int size : new int[] {5, 50, 41, 1000, 24}) {
      stream.write(ByteBuffer.wrap(Arrays.copyOfRange(sent, offset, offset + size)));
      offset += size;
    }

    assertThat(await(echoed)).isEqualTo(sent);
    stream.close();
  }

  // ---- helpers: hosts ----

  private Host host(HostBuilder builder) throws Exception {
    Host host = builder.build();
    hosts.add(host);
    await(host.listen(LOOPBACK));
    return host;
  }

  private static Multiaddr addressOf(Host host) {
    return host.listenAddresses().get(0).withP2p(host.peerId().toBytes());
  }

  private static InetSocketAddress socketAddressOf(Host host) {
    return host.listenAddresses().get(0).toSocketAddress().orElseThrow();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  /** A fresh honest host connects to {@code victim} and pings it. */
  private void honestPeerCanPing(Host victim) throws Exception {
    Host honest = host(new HostBuilder());
    Connection connection = await(honest.dial(addressOf(victim)));
    assertThat(connection.remotePeerId()).isEqualTo(victim.peerId());
    assertThat(await(new PingService(honest, System::nanoTime).ping(victim.peerId(), 2)))
        .hasSize(2);
  }

  private static long floodUntilStalled(Stream stream, long cap) throws Exception {
    byte[] chunk = new byte[64 * 1024]; // never modified, so every write may share it
    long written = 0;
    while (written < cap) {
      if (!stream.isWritable()) {
        try {
          stream.whenWritable().get(1, TimeUnit.SECONDS);
        } catch (TimeoutException stalled) {
          return written;
        }
        continue;
      }
      stream.write(ByteBuffer.wrap(chunk));
      written += chunk.length;
    }
    return written;
  }

  // ---- helpers: raw TCP ----

  private Socket rawConnect(Host victim) throws IOException {
    Socket socket = new Socket();
    resources.add(socket);
    socket.connect(socketAddressOf(victim), 5_000);
    socket.setSoTimeout((int) CLOSE_WITHIN.toMillis());
    return socket;
  }

  private static void send(Socket socket, byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** Proposes {@code /noise} and reads the victim's header and echo. */
  private static void agreeOnNoise(Socket socket) throws IOException {
    byte[] header = multistreamLine("/multistream/1.0.0");
    byte[] noise = multistreamLine("/noise");
    byte[] proposal = new byte[header.length + noise.length];
    System.arraycopy(header, 0, proposal, 0, header.length);
    System.arraycopy(noise, 0, proposal, header.length, noise.length);
    send(socket, proposal);
    byte[] reply = socket.getInputStream().readNBytes(proposal.length);
    assertThat(reply).isEqualTo(proposal);
  }

  private static byte[] multistreamLine(String text) {
    byte[] line = (text + "\n").getBytes(UTF_8);
    byte[] out = new byte[line.length + 1]; // every line here is shorter than 128 bytes
    out[0] = (byte) line.length;
    System.arraycopy(line, 0, out, 1, line.length);
    return out;
  }

  private static byte[] truncatedNoiseMessage() {
    byte[] bytes = new byte[2 + 10];
    bytes[1] = 32; // u16 length 32, but only 10 bytes follow
    return bytes;
  }

  private static byte[] noiseFrame(byte[] message) {
    byte[] out = new byte[2 + message.length];
    out[0] = (byte) (message.length >>> 8);
    out[1] = (byte) message.length;
    System.arraycopy(message, 0, out, 2, message.length);
    return out;
  }

  private static byte[] readNoiseFrame(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] prefix = in.readNBytes(2);
    assertThat(prefix).hasSize(2);
    int length = ((prefix[0] & 0xFF) << 8) | (prefix[1] & 0xFF);
    byte[] message = in.readNBytes(length);
    assertThat(message).hasSize(length);
    return message;
  }

  /** Reads until the victim closes (FIN or RST); fails if it does not within the deadline. */
  private static void assertClosedByVictim(Socket socket) throws IOException {
    long deadline = System.nanoTime() + CLOSE_WITHIN.toNanos();
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[4096];
    try {
      while (in.read(sink) >= 0) {
        assertThat(System.nanoTime())
            .as("victim closes within %s", CLOSE_WITHIN)
            .isLessThan(deadline);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the victim did not close the connection within " + CLOSE_WITHIN, e);
    } catch (SocketException reset) {
      // closed with RST: closed all the same
    }
  }

  // ---- helpers: raw Yamux over a real Noise session ----

  /**
   * Dials {@code victim} with the real upgrader (multistream, Noise, Yamux agreed in the
   * handshake), then swaps our Yamux session for a recorder so the test writes raw frames through
   * the Noise codec and sees every frame the victim sends.
   */
  private RawYamux rawYamuxTo(Host victim) throws Exception {
    TcpTransport transport = new TcpTransport(1, Duration.ofSeconds(5));
    resources.add(transport);
    ConnectionUpgrader upgrader =
        new ConnectionUpgrader(PrivateKey.generate(KeyType.ED25519), UpgradeConfig.defaults());
    FrameRecorder recorder = new FrameRecorder();
    CompletableFuture<Channel> ready = new CompletableFuture<>();
    ChannelInitializer<Channel> refuseStreams =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel stream) {
            stream.close();
          }
        };
    transport.dial(
        socketAddressOf(victim),
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            upgrader
                .upgrade(
                    channel, Direction.OUTBOUND, Optional.of(victim.peerId()), s -> refuseStreams)
                .whenComplete(
                    (upgraded, error) -> {
                      if (error != null) {
                        ready.completeExceptionally(error);
                        return;
                      }
                      // Runs on the event loop right after the muxer was installed, before any
                      // frame from the victim was read.
                      ChannelPipeline pipeline = channel.pipeline();
                      pipeline.addLast("frame-recorder", recorder);
                      pipeline.remove(YamuxHandler.class);
                      pipeline.remove(YamuxFrameDecoder.class);
                      pipeline.remove(YamuxFrameEncoder.class);
                      ready.complete(channel);
                    });
          }
        });
    return new RawYamux(await(ready), recorder.frames);
  }

  private static ByteBuf header(int type, int flags, int streamId, long length) {
    return writeHeader(Unpooled.buffer(YamuxFrame.HEADER_LENGTH), type, flags, streamId, length);
  }

  /** Yamux spec "Framing": version, type, flags u16, stream id u32, length u32, big-endian. */
  private static ByteBuf writeHeader(ByteBuf out, int type, int flags, int streamId, long length) {
    return out.writeByte(YamuxFrame.VERSION)
        .writeByte(type)
        .writeShort(flags)
        .writeInt(streamId)
        .writeInt((int) length);
  }

  private record RawFrame(int type, int flags, int streamId, long length) {}

  private record RawYamux(Channel channel, List<RawFrame> frames) {
    int localPort() {
      return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    List<Integer> streamsWith(int flag) {
      return frames.stream()
          .filter(f -> f.type() == WINDOW_UPDATE && (f.flags() & flag) != 0)
          .map(RawFrame::streamId)
          .toList();
    }

    void assertGoAwayWithProtocolErrorAndClosed() throws Exception {
      assertThat(channel.closeFuture().await(CLOSE_WITHIN.toMillis(), TimeUnit.MILLISECONDS))
          .as("victim closes the connection within %s", CLOSE_WITHIN)
          .isTrue();
      assertThat(frames).contains(new RawFrame(GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
    }
  }

  /**
   * Records the header of every Yamux frame the victim sends and skips their payloads; answers the
   * victim's pings so its keep-alive never closes the connection on its own.
   */
  private static final class FrameRecorder extends ByteToMessageDecoder {
    final List<RawFrame> frames = new CopyOnWriteArrayList<>();
    private long payloadToSkip;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      while (true) {
        if (payloadToSkip > 0) {
          int skipped = (int) Math.min(payloadToSkip, in.readableBytes());
          in.skipBytes(skipped);
          payloadToSkip -= skipped;
          if (payloadToSkip > 0) {
            return;
          }
        }
        if (in.readableBytes() < YamuxFrame.HEADER_LENGTH) {
          return;
        }
        in.skipBytes(1); // version
        RawFrame frame =
            new RawFrame(
                in.readUnsignedByte(), in.readUnsignedShort(), in.readInt(), in.readUnsignedInt());
        frames.add(frame);
        if (frame.type() == 0) {
          payloadToSkip = frame.length();
        } else if (frame.type() == PING && (frame.flags() & YamuxFrame.SYN) != 0) {
          ctx.writeAndFlush(header(PING, YamuxFrame.ACK, 0, frame.length()));
        }
      }
    }
  }

  // ---- helpers: logs ----

  /** Collects what the given loggers log at DEBUG and above while a test runs. */
  private static final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<ch.qos.logback.classic.Logger, Level> previousLevels = new HashMap<>();

    LogCapture(String... loggerNames) {
      appender.start();
      for (String name : loggerNames) {
        ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
        previousLevels.put(logger, logger.getLevel());
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
      }
    }

    List<String> messages() {
      synchronized (appender) { // AppenderBase.doAppend holds this lock while adding
        List<String> out = new ArrayList<>();
        appender.list.forEach(e -> out.add(e.getFormattedMessage()));
        return Collections.unmodifiableList(out);
      }
    }

    void eventuallyContains(String... parts) {
      Eventually.holds(
          () ->
              assertThat(messages())
                  .as("a log line containing all of %s", List.of(parts))
                  .anySatisfy(line -> assertThat(line).contains(parts)));
    }

    @Override
    public void close() {
      previousLevels.forEach(
          (logger, level) -> {
            logger.detachAppender(appender);
            logger.setLevel(level);
          });
      appender.stop();
    }
  }
}
