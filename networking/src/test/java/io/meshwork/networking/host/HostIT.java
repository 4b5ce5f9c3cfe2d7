package io.meshwork.networking.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.ConnectionDeniedException;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.protocol.perf.PerfResult;
import io.meshwork.networking.protocol.perf.PerfService;
import io.meshwork.networking.protocol.ping.PingService;
import io.meshwork.networking.testsupport.Eventually;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private final List<Host> hosts = new ArrayList<>();

  @AfterEach
  void stopHosts() {
    hosts.forEach(Host::close);
  }

  private Host host(HostBuilder builder) throws Exception {
    Host host = builder.build();
    hosts.add(host);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    return host;
  }

  private Host host() throws Exception {
    return host(new HostBuilder());
  }

  private static Multiaddr addressOf(Host host) {
    return host.listenAddresses().get(0).withP2p(host.peerId().toBytes());
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "early muxer negotiation {0}")
  @ValueSource(booleans = {true, false})
  void twoHostsConnectIdentifyAndPing(boolean earlyMuxer) throws Exception {
    Host a = host(new HostBuilder().earlyMuxerNegotiation(earlyMuxer));
    Host b = host(new HostBuilder().identity(PrivateKey.generate(KeyType.SECP256K1)));
    List<NetworkEvent> eventsOfB = new CopyOnWriteArrayList<>();
    b.subscribe(eventsOfB::add);

    Connection connection = await(a.dial(addressOf(b)));

    assertThat(connection.remotePeerId()).isEqualTo(b.peerId());
    assertThat(((HostConnection) connection).muxerNegotiation())
        .isEqualTo(earlyMuxer ? "noise-extension" : "multistream");
    List<Duration> rtts = await(new PingService(a, System::nanoTime).ping(b.peerId(), 3));
    assertThat(rtts).hasSize(3).allSatisfy(rtt -> assertThat(rtt).isPositive());
    Eventually.holds(
        () ->
            assertThat(a.peerStore().protocols(b.peerId()))
                .contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/perf/1.0.0"));
    assertThat(a.peerStore().agentVersion(b.peerId())).contains(HostConfig.DEFAULT_AGENT);
    assertThat(a.peerStore().addresses(b.peerId())).contains(b.listenAddresses().get(0));
    Eventually.holds(
        () ->
            assertThat(eventsOfB)
                .anySatisfy(e -> assertThat(e).isInstanceOf(NetworkEvent.PeerConnected.class))
                .anySatisfy(e -> assertThat(e).isInstanceOf(NetworkEvent.PeerIdentified.class)));
  }

  @Test
  void tenHostsConnectToEachOtherAndPingEveryPeer() throws Exception {
    List<Host> ten = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ten.add(host());
    }
    List<CompletableFuture<?>> dials = new ArrayList<>();
    for (int i = 0; i < ten.size(); i++) {
      for (int j = i + 1; j < ten.size(); j++) {
        dials.add(ten.get(i).dial(addressOf(ten.get(j))));
      }
    }
    await(CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)));

    for (Host host : ten) {
      assertThat(host.connections()).hasSize(9);
      PingService ping = new PingService(host, System::nanoTime);
      for (Host other : ten) {
        if (other != host) {
          assertThat(await(ping.ping(other.peerId(), 1))).hasSize(1);
        }
      }
    }
  }

  @Test
  void keepsOneConnectionWhenTwoPeersDialEachOtherAtOnce() throws Exception {
    for (int round = 0; round < 5; round++) {
      Host a = host();
      Host b = host();
      CompletableFuture<Connection> ab = a.dial(addressOf(b));
      CompletableFuture<Connection> ba = b.dial(addressOf(a));
      await(CompletableFuture.allOf(ab, ba));

      Eventually.holds(
          () -> {
            assertThat(a.connections()).hasSize(1);
            assertThat(b.connections()).hasSize(1);
            Connection fromA = a.connections().get(0);
            Connection fromB = b.connections().get(0);
            assertThat(fromA.localAddress()).isEqualTo(fromB.remoteAddress());
            assertThat(fromA.remoteAddress()).isEqualTo(fromB.localAddress());
          });
      assertThat(await(new PingService(a, System::nanoTime).ping(b.peerId(), 1))).hasSize(1);
    }
  }

  @Test
  void rejectsAPeerOtherThanTheOneDialed() throws Exception {
    Host a = host();
    Host b = host();
    PeerId someoneElse = PeerId.fromPublicKey(PrivateKey.generate(KeyType.ED25519).publicKey());
    Multiaddr wrong = b.listenAddresses().get(0).withP2p(someoneElse.toBytes());

    assertThatThrownBy(() -> await(a.dial(wrong)))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("noise handshake failed");
    assertThat(a.connections()).isEmpty();
    assertThat(await(a.dial(addressOf(b))).remotePeerId()).isEqualTo(b.peerId());
  }

  @Test
  void carriesAHundredConcurrentStreamsOnOneConnection() throws Exception {
    Host a = host();
    Host b = host();
    b.setStreamHandler("/test/echo/1.0.0", HostIT::echo);
    await(a.dial(addressOf(b)));
    Random random = new Random(7);
    List<byte[]> payloads = new ArrayList<>();
    List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] payload = new byte[32 * 1024 + random.nextInt(32 * 1024)];
      random.nextBytes(payload);
      payloads.add(payload);
      echoes.add(
          a.newStream(b.peerId(), List.of("/test/echo/1.0.0"))
              .thenCompose(stream -> roundTrip(stream, payload)));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(await(echoes.get(i))).isEqualTo(payloads.get(i));
    }
    assertThat(a.connections()).hasSize(1);
  }

  @Test
  void perfMovesTheRequestedBytesBothWays() throws Exception {
    Host a = host();
    Host b = host();
    await(a.dial(addressOf(b)));
    PerfResult result =
        await(new PerfService(a, System::nanoTime).run(b.peerId(), 8_000_000, 12_000_000));
    assertThat(result.uploadBytes()).isEqualTo(8_000_000);
    assertThat(result.downloadBytes()).isEqualTo(12_000_000);
  }

  @Test
  void sendsOneGibibyteToASlowReaderWithBoundedMemory() throws Exception {
    long total = 1L << 30;
    Host sender = host();
    Host receiver = host();
    SlowSink sink = new SlowSink();
    receiver.setStreamHandler("/test/sink/1.0.0", sink::serve);
    await(sender.dial(addressOf(receiver)));
    Stream stream = await(sender.newStream(receiver.peerId(), List.of("/test/sink/1.0.0")));

    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    long[] maxInFlight = {0};
    byte[] chunk = new byte[64 * 1024];
    Random random = new Random(1);
    long written = 0;
    while (written < total) {
      if (!stream.isWritable()) {
        stream.whenWritable().get(30, TimeUnit.SECONDS);
        continue;
      }
      random.nextBytes(chunk);
      sent.update(chunk);
      stream.write(ByteBuffer.wrap(chunk.clone()));
      written += chunk.length;
      maxInFlight[0] = Math.max(maxInFlight[0], written - sink.received());
    }
    await(stream.closeWrite());
    byte[] digest = await(sink.done);

    assertThat(digest).isEqualTo(sent.digest());
    // What the sender wrote but the reader has not taken is bounded by the Yamux window (at most
    // 16 MiB) plus the muxer's high-water mark and socket buffers, never by the 1 GiB written.
    assertThat(maxInFlight[0]).isLessThan(40L * 1024 * 1024);
  }

  @Test
  void pushesANewProtocolToConnectedPeers() throws Exception {
    Host a = host();
    Host b = host();
    await(a.dial(addressOf(b)));
    Eventually.holds(
        () -> assertThat(a.peerStore().protocols(b.peerId())).contains("/ipfs/ping/1.0.0"));

    b.setStreamHandler("/test/new/1.0.0", Stream::reset);

    Eventually.holds(
        () -> assertThat(a.peerStore().protocols(b.peerId())).contains("/test/new/1.0.0"));
  }

  @Test
  void closesGracefullyLettingAnOpenStreamFinish() throws Exception {
    Host a = host();
    Host b = host();
    b.setStreamHandler("/test/echo/1.0.0", HostIT::echo);
    Connection connection = await(a.dial(addressOf(b)));
    Stream stream = await(connection.newStream(List.of("/test/echo/1.0.0")));
    byte[] payload = new byte[200_000];
    new Random(3).nextBytes(payload);

    CompletableFuture<Void> closed = a.connectionManager().disconnect(b.peerId());
    byte[] echoed = await(roundTrip(stream, payload));

    assertThat(echoed).isEqualTo(payload);
    await(closed);
    assertThat(connection.isOpen()).isFalse();
    Eventually.holds(() -> assertThat(b.connections()).isEmpty());
  }

  @Test
  void failsAnOutboundDialToAPeerTheGaterDeniesWithoutConnecting() throws Exception {
    Host a = host();
    Host b = host();
    a.setConnectionGater(
        (peer, address, direction) ->
            peer.equals(b.peerId()) ? Optional.of("banned for a test") : Optional.empty());

    assertThatThrownBy(() -> await(a.dial(addressOf(b))))
        .hasCauseInstanceOf(ConnectionDeniedException.class)
        .hasMessageContaining("banned for a test");
    assertThat(a.connections()).isEmpty();
    assertThat(b.connections()).isEmpty();
  }

  @Test
  void closesAnInboundConnectionFromADeniedPeerAfterTheHandshake() throws Exception {
    Host gated = host();
    Host denied = host();
    Host allowed = host();
    List<NetworkEvent> events = new CopyOnWriteArrayList<>();
    gated.subscribe(events::add);
    gated.setConnectionGater(
        (peer, address, direction) ->
            peer.equals(denied.peerId()) && direction == Direction.INBOUND
                ? Optional.of("banned")
                : Optional.empty());

    try {
      await(denied.dial(addressOf(gated)));
    } catch (ExecutionException e) {
      // Either side may see the close first: the dialer's handshake can finish before ours.
    }
    await(allowed.dial(addressOf(gated)));

    Eventually.holds(() -> assertThat(denied.connections()).isEmpty());
    // the dialer's side completes first; the listener registers the connection a moment later
    Eventually.holds(() -> assertThat(gated.connection(allowed.peerId())).isPresent());
    assertThat(gated.connection(denied.peerId())).isEmpty();
    assertThat(events)
        .noneMatch(
            e -> e instanceof NetworkEvent.PeerConnected && e.peerId().equals(denied.peerId()));
  }

  @Test
  void refusesInboundConnectionsBeyondTheLimit() throws Exception {
    Host limited = host(new HostBuilder().config(HostConfig.defaults().withLimits(16, 2)));
    Host first = host();
    Host second = host();
    Host third = host();
    await(first.dial(addressOf(limited)));
    await(second.dial(addressOf(limited)));

    assertThatThrownBy(() -> await(third.dial(addressOf(limited))))
        .isInstanceOf(ExecutionException.class);
    assertThat(limited.connections()).hasSize(2);
    assertThat(limited.connectionManager().connectionCount()).isEqualTo(2);
  }

  /** Reads in bursts with pauses, like a slow application. */
  private static final class SlowSink {
    final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private final MessageDigest digest = sha256();
    private volatile long received;

    long received() {
      return received;
    }

    void serve(Stream stream) {
      stream.read(
          new StreamReader() {
            long sincePause;

            @Override
            public void onData(ByteBuffer data) {
              received += data.remaining();
              sincePause += data.remaining();
              digest.update(data);
              if (sincePause > 4 * 1024 * 1024) {
                sincePause = 0;
                stream.pauseReading();
                CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS)
                    .execute(stream::resumeReading);
              }
            }

            @Override
            public void onEndOfStream() {
              done.complete(digest.digest());
              stream.close();
            }

            @Override
            public void onError(Throwable cause) {
              done.completeExceptionally(cause);
            }
          });
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static void echo(Stream stream) {
    stream.read(
        new StreamReader() {
          @Override
          public void onData(ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            stream.write(copy);
          }

          @Override
          public void onEndOfStream() {
            stream.closeWrite();
          }
        });
  }

  static CompletableFuture<byte[]> roundTrip(Stream stream, byte[] payload) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    ByteBuffer received = ByteBuffer.allocate(payload.length);
    stream.read(
        new StreamReader() {
          @Override
          public void onData(ByteBuffer data) {
            if (data.remaining() > received.remaining()) {
              result.completeExceptionally(new AssertionError("echo sent too much"));
              return;
            }
            received.put(data);
          }

          @Override
          public void onEndOfStream() {
            result.complete(received.array());
            stream.close();
          }

          @Override
          public void onError(Throwable cause) {
            result.completeExceptionally(cause);
          }
        });
    stream.write(ByteBuffer.wrap(payload)).thenCompose(v -> stream.closeWrite());
    return result;
  }
}
