package io.meshwork.networking.peers.pex;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.peers.pex.pb.PexProto.PexResponse;
import io.meshwork.networking.testsupport.Eventually;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Peer exchange between real hosts on 127.0.0.1. */
class PexServiceIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private final List<Host> hosts = new ArrayList<>();
  private final List<PexService> services = new ArrayList<>();

  @AfterEach
  void stop() {
    services.forEach(PexService::close);
    hosts.forEach(Host::close);
  }

  private Host host() throws Exception {
    Host host = new HostBuilder().build();
    hosts.add(host);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    return host;
  }

  private PexService pex(Host host, PexConfig config) {
    PexService service = PexService.start(host, config);
    services.add(service);
    return service;
  }

  private static void connect(Host from, Host to) throws Exception {
    from.dial(to.listenAddresses().get(0).withP2p(to.peerId().toBytes())).get(10, TimeUnit.SECONDS);
  }

  /** Waits until identify has given {@code at} the signed peer record of {@code of}. */
  private static void awaitRecord(Host at, Host of) {
    Eventually.holds(() -> assertThat(at.peerStore().signedPeerRecord(of.peerId())).isPresent());
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the request neither completed nor failed", e);
    }
    throw new AssertionError("the request succeeded");
  }

  @Test
  void aPeerLearnsTheVerifiedAddressesOfItsPeersPeers() throws Exception {
    Host a = host();
    Host b = host();
    Host c = host();
    pex(a, PexConfig.defaults());
    PexService bPex = pex(b, PexConfig.defaults());
    List<NetworkEvent.AddressesDiscovered> discovered = new CopyOnWriteArrayList<>();
    b.subscribe(
        e -> {
          if (e instanceof NetworkEvent.AddressesDiscovered d) {
            discovered.add(d);
          }
        });
    connect(b, a);
    connect(c, a);
    awaitRecord(a, c);
    awaitRecord(a, b);
    // identify kept C's record exactly as C signed it
    PeerRecord kept = PeerRecord.open(a.peerStore().signedPeerRecord(c.peerId()).orElseThrow());
    assertThat(kept.addresses()).isEqualTo(c.listenAddresses());

    List<PeerAddresses> learned = bPex.request(a.peerId()).get(20, TimeUnit.SECONDS);

    // B is connected to A too, but nobody is told about itself
    assertThat(learned).containsExactly(new PeerAddresses(c.peerId(), c.listenAddresses()));
    Eventually.holds(
        () ->
            assertThat(discovered)
                .containsExactly(
                    new NetworkEvent.AddressesDiscovered(
                        a.peerId(), DiscoverySource.PEX, learned)));
    // nothing was dialed: what PEX learns goes to the address book, not straight to a connection
    assertThat(b.connection(c.peerId())).isEmpty();
  }

  @Test
  void aNodeAsksThePeersItDialedButNotThePeersThatDialedIt() throws Exception {
    Host a = host();
    Host b = host();
    Host c = host();
    Host d = host();
    PexService aPex = pex(a, PexConfig.defaults());
    PexService dPex = pex(d, PexConfig.defaults());
    PexService bPex = pex(b, PexConfig.defaults());
    bPex.askOutboundPeers();
    List<NetworkEvent.AddressesDiscovered> discovered = new CopyOnWriteArrayList<>();
    b.subscribe(
        e -> {
          if (e instanceof NetworkEvent.AddressesDiscovered found) {
            discovered.add(found);
          }
        });
    connect(c, a);
    awaitRecord(a, c);
    connect(c, d);
    awaitRecord(d, c);

    connect(b, a); // outbound from B: A is asked once identify says it speaks PEX
    connect(d, b); // inbound to B: D knows C too, but is not asked

    Eventually.holds(
        () ->
            assertThat(discovered)
                .containsExactly(
                    new NetworkEvent.AddressesDiscovered(
                        a.peerId(),
                        DiscoverySource.PEX,
                        List.of(new PeerAddresses(c.peerId(), c.listenAddresses())))));
    assertThat(aPex.requestsReceived()).isEqualTo(1);
    // D identified itself to B by now (B holds its record), yet B never asked it
    awaitRecord(b, d);
    assertThat(dPex.requestsReceived()).isZero();
    assertThat(discovered)
        .extracting(NetworkEvent.AddressesDiscovered::peerId)
        .containsOnly(a.peerId());
  }

  @Test
  void aRequestFloodIsRateLimitedThenCutOffWhileOthersAreStillServed() throws Exception {
    Host a = host();
    Host b = host();
    Host c = host();
    PexService aPex = pex(a, PexConfig.defaults());
    PexService bPex = pex(b, PexConfig.defaults());
    PexService cPex = pex(c, PexConfig.defaults());
    connect(b, a);
    connect(c, a);
    awaitRecord(a, b);
    PexConfig limits = PexConfig.defaults();
    List<NetworkEvent.PeerMisbehaved> reported = new CopyOnWriteArrayList<>();
    a.subscribe(
        e -> {
          if (e instanceof NetworkEvent.PeerMisbehaved m) {
            reported.add(m);
          }
        });

    List<CompletableFuture<List<PeerAddresses>>> flood = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      flood.add(bPex.request(a.peerId()));
    }
    int served = 0;
    int rateLimited = 0;
    int cutOff = 0;
    for (CompletableFuture<List<PeerAddresses>> request : flood) {
      try {
        request.get(20, TimeUnit.SECONDS);
        served++;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof PexRejectedException rejected) {
          assertThat(rejected.status()).isEqualTo(PexResponse.Status.RATE_LIMITED);
          assertThat(rejected.retryAfter()).isPositive();
          rateLimited++;
        } else {
          cutOff++;
        }
      }
    }
    assertThat(served).isLessThanOrEqualTo(limits.burst());
    assertThat(rateLimited).isLessThanOrEqualTo(limits.maxStrikes());
    assertThat(served + rateLimited + cutOff).isEqualTo(40);
    assertThat(cutOff).isPositive();
    assertThat(aPex.abusiveRequests()).isPositive();
    // reported for the peer manager, which bans repeat offenders
    Eventually.holds(
        () ->
            assertThat(reported)
                .isNotEmpty()
                .allSatisfy(
                    m -> {
                      assertThat(m.peerId()).isEqualTo(b.peerId());
                      assertThat(m.protocol()).isEqualTo(PexService.PROTOCOL_ID);
                    }));

    // A still serves an honest peer, and has no stream left open
    List<PeerAddresses> honest = cPex.request(a.peerId()).get(20, TimeUnit.SECONDS);
    assertThat(honest).extracting(PeerAddresses::peerId).doesNotContain(c.peerId(), a.peerId());
    Eventually.holds(
        () ->
            assertThat(a.connections())
                .allSatisfy(connection -> assertThat(connection.streamCount()).isZero()));
  }

  @Test
  void aGarbageResponseFailsTheRequestWithAProtocolErrorAndClosesTheStream() throws Exception {
    Host liar = host();
    Host b = host();
    PexService bPex = pex(b, PexConfig.defaults());
    AtomicReference<byte[]> reply = new AtomicReference<>();
    liar.setStreamHandler(PexService.PROTOCOL_ID, stream -> answerWith(stream, reply.get()));
    connect(b, liar);

    reply.set(new byte[] {0x05, 0x12, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
    assertThat(failure(bPex.request(liar.peerId())))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("not a valid protobuf");

    byte[] oversized = Varint.encode(PexConfig.defaults().maxMessageSize() + 1L);
    reply.set(oversized);
    assertThat(failure(bPex.request(liar.peerId())))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("exceeds the limit");

    byte[] notARecord =
        PexCodec.encodeResponse(List.of(new byte[] {0x0a, 0x02, 0x08, 0x01}), PexConfig.defaults());
    reply.set(notARecord);
    assertThat(failure(bPex.request(liar.peerId())))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("invalid signed peer record");

    Eventually.holds(
        () ->
            assertThat(b.connection(liar.peerId()).orElseThrow().streamCount())
                .as("streams left open")
                .isZero());
  }

  @Test
  void aPeerThatNeverAnswersTimesOutAndItsStreamIsReset() throws Exception {
    Host silent = host();
    Host b = host();
    PexService bPex = pex(b, PexConfig.defaults().withRequestTimeout(Duration.ofMillis(500)));
    silent.setStreamHandler(PexService.PROTOCOL_ID, stream -> stream.read(data -> {}));
    connect(b, silent);

    assertThat(failure(bPex.request(silent.peerId()))).isInstanceOf(TimeoutException.class);
    Eventually.holds(
        () -> assertThat(b.connection(silent.peerId()).orElseThrow().streamCount()).isZero());
  }

  @Test
  void closingTheServiceFailsRequestsInFlight() throws Exception {
    Host silent = host();
    Host b = host();
    PexService bPex = pex(b, PexConfig.defaults());
    silent.setStreamHandler(PexService.PROTOCOL_ID, stream -> stream.read(data -> {}));
    connect(b, silent);

    CompletableFuture<List<PeerAddresses>> request = bPex.request(silent.peerId());
    bPex.close();

    assertThat(failure(request)).hasMessageContaining("closed");
    assertThat(b.protocols()).doesNotContain(PexService.PROTOCOL_ID);
  }

  /** Answers the first bytes of a request with {@code bytes}, then closes. */
  private static void answerWith(Stream stream, byte[] bytes) {
    stream.read(
        new StreamReader() {
          private boolean answered;

          @Override
          public void onData(ByteBuffer data) {
            if (!answered) {
              answered = true;
              stream.write(ByteBuffer.wrap(bytes)).thenCompose(v -> stream.close());
            }
          }
        });
  }
}
