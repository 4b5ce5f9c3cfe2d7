package io.meshwork.networking.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.protocol.identify.IdentifyInfo;
import io.meshwork.networking.protocol.identify.IdentifyService;
import io.meshwork.networking.protocol.perf.PerfResult;
import io.meshwork.networking.protocol.perf.PerfService;
import io.meshwork.networking.protocol.ping.PingService;
import io.meshwork.networking.testsupport.Eventually;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Meshwork against js-libp2p, both directions, both key types, both muxer negotiation paths. */
@Tag("interop")
class JavaJsInteropIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long PERF_BYTES = 100_000_000L;

  private Host host;

  @AfterEach
  void stop() {
    if (host != null) {
      host.close();
    }
  }

  private Host javaHost(KeyType keyType, boolean earlyMuxer) throws Exception {
    host =
        new HostBuilder()
            .identity(PrivateKey.generate(keyType))
            .earlyMuxerNegotiation(earlyMuxer)
            .build();
    host.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
    return host;
  }

  private static String javaAddress(Host host) {
    return host.listenAddresses().get(0).withP2p(host.peerId().toBytes()).toString();
  }

  static Stream<Arguments> combinations() {
    return Stream.of(
        Arguments.of(KeyType.ED25519, JsPeerOptions.KeyType.ED25519, true, true),
        Arguments.of(KeyType.SECP256K1, JsPeerOptions.KeyType.ED25519, true, false),
        Arguments.of(KeyType.ED25519, JsPeerOptions.KeyType.SECP256K1, false, true),
        Arguments.of(KeyType.SECP256K1, JsPeerOptions.KeyType.SECP256K1, false, false));
  }

  @ParameterizedTest(name = "java {0}, js {1}, java early muxer {2}, js early muxer {3}")
  @MethodSource("combinations")
  void javaDialsJsThenBothPingAndIdentifyEachOther(
      KeyType javaKey, JsPeerOptions.KeyType jsKey, boolean javaEarly, boolean jsEarly)
      throws Exception {
    Host java = javaHost(javaKey, javaEarly);
    try (JsPeer js =
        JsPeer.start(
            JsPeerOptions.listening().withKeyType(jsKey).withEarlyMuxerNegotiation(jsEarly))) {
      Connection connection =
          java.dial(Multiaddr.fromString(js.addrs().get(0))).get(30, TimeUnit.SECONDS);
      assertThat(connection.remotePeerId()).isEqualTo(PeerId.parse(js.peerId()));

      assertThat(
              new PingService(java, System::nanoTime)
                  .ping(connection.remotePeerId(), 3)
                  .get(30, TimeUnit.SECONDS))
          .hasSize(3);
      IdentifyInfo jsSays = identifier(java).identify(connection).get(30, TimeUnit.SECONDS);
      assertThat(jsSays.agentVersion()).startsWith("js-libp2p");
      assertThat(jsSays.protocols()).contains("/ipfs/ping/1.0.0", "/ipfs/id/1.0.0");
      assertThat(jsSays.signedRecordSeq()).isPresent();
      assertThat(jsSays.listenAddresses())
          .contains(Multiaddr.fromString(js.addrs().get(0)).withoutP2p());
      assertThat(jsSays.publicKey().map(k -> k.type().name()))
          .contains(jsKey == JsPeerOptions.KeyType.ED25519 ? "ED25519" : "SECP256K1");

      assertThat(js.ping(java.peerId().toBase58(), 3)).hasSize(3);
      JsIdentifyResult javaSays = js.identify(java.peerId().toBase58(), true);
      assertThat(javaSays.agentVersion()).contains(HostConfig.DEFAULT_AGENT);
      assertThat(javaSays.protocols())
          .contains("/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0", "/perf/1.0.0");
      assertThat(javaSays.listenAddrs())
          .anySatisfy(a -> assertThat(a).startsWith(java.listenAddresses().get(0).toString()));
      assertThat(javaSays.signedPeerRecord()).isPresent();
      assertThat(javaSays.publicKeyType().map(String::toLowerCase))
          .contains(javaKey == KeyType.ED25519 ? "ed25519" : "secp256k1");
      assertThat(javaSays.observedAddr()).isPresent();
    }
  }

  @ParameterizedTest(name = "js {0}, js early muxer {1}")
  @MethodSource("jsSides")
  void jsDialsJavaThenPingsAndIdentifiesIt(JsPeerOptions.KeyType jsKey, boolean jsEarly)
      throws Exception {
    Host java = javaHost(KeyType.ED25519, true);
    try (JsPeer js =
        JsPeer.start(
            JsPeerOptions.dialOnly().withKeyType(jsKey).withEarlyMuxerNegotiation(jsEarly))) {
      JsConnectionInfo connection = js.dial(javaAddress(java));
      assertThat(connection.peerId()).isEqualTo(java.peerId().toBase58());
      assertThat(connection.muxer()).contains("/yamux/1.0.0");
      assertThat(connection.encryption()).contains("/noise");

      assertThat(js.ping(java.peerId().toBase58(), 5))
          .hasSize(5)
          .allSatisfy(rtt -> assertThat(rtt).isPositive());
      JsIdentifyResult javaSays = js.identify(java.peerId().toBase58(), true);
      assertThat(javaSays.agentVersion()).contains(HostConfig.DEFAULT_AGENT);
      assertThat(javaSays.protocolVersion()).contains("ipfs/0.1.0");
      // Java identified the js peer on its own when the connection came in.
      PeerId jsPeer = PeerId.parse(js.peerId());
      Eventually.holds(
          () ->
              assertThat(java.peerStore().agentVersion(jsPeer).orElse("")).startsWith("js-libp2p"));
    }
  }

  static Stream<Arguments> jsSides() {
    return Stream.of(
        Arguments.of(JsPeerOptions.KeyType.ED25519, true),
        Arguments.of(JsPeerOptions.KeyType.SECP256K1, false));
  }

  @Test
  void perfMovesAHundredMegabytesEachWayJavaToJsAndJsToJava() throws Exception {
    Host java = javaHost(KeyType.ED25519, true);
    try (JsPeer js = JsPeer.start(JsPeerOptions.listening())) {
      Connection connection =
          java.dial(Multiaddr.fromString(js.addrs().get(0))).get(30, TimeUnit.SECONDS);
      PerfResult javaToJs =
          new PerfService(java, System::nanoTime)
              .run(connection.remotePeerId(), PERF_BYTES, PERF_BYTES)
              .get(180, TimeUnit.SECONDS);
      assertThat(javaToJs.uploadBytes()).isEqualTo(PERF_BYTES);
      assertThat(javaToJs.downloadBytes()).isEqualTo(PERF_BYTES);

      JsPerfResult jsToJava =
          js.perf(java.peerId().toBase58(), PERF_BYTES, PERF_BYTES, Duration.ofSeconds(180));
      assertThat(jsToJava.uploadBytes()).isEqualTo(PERF_BYTES);
      assertThat(jsToJava.downloadBytes()).isEqualTo(PERF_BYTES);
    }
  }

  private IdentifyService identifier(Host java) {
    return new IdentifyService(java, PrivateKey.generate(KeyType.ED25519), "test", e -> {});
  }
}
