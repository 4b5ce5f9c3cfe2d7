package io.meshwork.networking.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.networking.interop.JsPeerOptions.KeyType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves the harness and the js peer end to end with two js peers, before any Java host exists: if
 * this fails, an interop test failing next to it says nothing about the Java host.
 */
@Tag("interop")
class JsPeerIT {
  private static final String PING = "/ipfs/ping/1.0.0";
  private static final String PERF = "/perf/1.0.0";
  private static final String IDENTIFY = "/ipfs/id/1.0.0";
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

  @Test
  void twoJsPeersDialPingIdentifyAndRunPerfThroughTheHarness() {
    try (JsPeer listener = JsPeer.start(JsPeerOptions.listening());
        JsPeer dialer = JsPeer.start(JsPeerOptions.dialOnly().withKeyType(KeyType.SECP256K1))) {
      assertThat(listener.addrs())
          .isNotEmpty()
          .allSatisfy(addr -> assertThat(addr).startsWith("/ip4/127.0.0.1/tcp/"))
          .allSatisfy(addr -> assertThat(addr).endsWith("/p2p/" + listener.peerId()));
      assertThat(dialer.addrs()).isEmpty();

      JsConnectionInfo connection = dialer.dial(listener.addrs().get(0));
      assertThat(connection.peerId()).isEqualTo(listener.peerId());
      assertThat(connection.direction()).isEqualTo("outbound");
      assertThat(connection.encryption()).contains("/noise");
      assertThat(connection.muxer()).contains("/yamux/1.0.0");
      assertThat(listener.awaitEvent("connected", dialer.peerId(), EVENT_TIMEOUT).peerId())
          .contains(dialer.peerId());
      assertThat(listener.connections())
          .singleElement()
          .satisfies(inbound -> assertThat(inbound.peerId()).isEqualTo(dialer.peerId()))
          .satisfies(inbound -> assertThat(inbound.direction()).isEqualTo("inbound"));

      List<Double> rtts = dialer.ping(listener.peerId(), 3);
      assertThat(rtts).hasSize(3).allSatisfy(rtt -> assertThat(rtt).isPositive());

      JsIdentifyResult listenerSeen = dialer.identify(listener.peerId());
      assertThat(listenerSeen.peerId()).isEqualTo(listener.peerId());
      assertThat(listenerSeen.agentVersion())
          .hasValueSatisfying(v -> assertThat(v).startsWith("js-libp2p"));
      assertThat(listenerSeen.protocols()).contains(IDENTIFY, PING, PERF);
      assertThat(listenerSeen.publicKeyType()).contains("Ed25519");
      String listenAddr = listener.addrs().get(0).replace("/p2p/" + listener.peerId(), "");
      assertThat(listenerSeen.listenAddrs()).contains(listenAddr);
      assertThat(listenerSeen.signedPeerRecord())
          .hasValueSatisfying(record -> assertThat(record.addrs()).contains(listenAddr));

      JsIdentifyResult dialerSeen = listener.identify(dialer.peerId(), true);
      assertThat(dialerSeen.automatic()).isFalse();
      assertThat(dialerSeen.publicKeyType()).contains("secp256k1");
      assertThat(dialerSeen.observedAddr())
          .hasValueSatisfying(a -> assertThat(a).startsWith(listenAddr));

      JsPerfResult perf = dialer.perf(listener.peerId(), 10_000_000, 10_000_000);
      assertThat(perf.uploadBytes()).isEqualTo(10_000_000);
      assertThat(perf.downloadBytes()).isEqualTo(10_000_000);
      assertThat(perf.seconds()).isPositive();
      assertThat(perf.uploadSeconds()).isPositive();

      dialer.hangUp(listener.peerId());
      assertThat(listener.awaitEvent("disconnected", dialer.peerId(), EVENT_TIMEOUT).type())
          .isEqualTo("disconnected");
    }
  }

  @Test
  void peersWithoutEarlyMuxerNegotiationAgreeOnYamuxThroughMultistreamSelect() {
    JsPeerOptions noEarlyMuxer = JsPeerOptions.listening().withEarlyMuxerNegotiation(false);
    try (JsPeer listener = JsPeer.start(noEarlyMuxer);
        JsPeer dialer = JsPeer.start(noEarlyMuxer.withListen(List.of()))) {
      assertThat(dialer.dial(listener.addrs().get(0)).muxer()).contains("/yamux/1.0.0");
      assertThat(dialer.ping(listener.peerId(), 1)).hasSize(1);
    }
  }

  @Test
  void aFailedCommandCarriesTheJsPeersReason() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (JsPeer dialer = JsPeer.start(JsPeerOptions.dialOnly())) {
      assertThatThrownBy(() -> dialer.dial("/ip4/127.0.0.1/tcp/" + closedPort))
          .isInstanceOf(JsPeerException.class)
          .hasMessageContaining("dial failed in the js peer")
          .hasMessageContaining("ECONNREFUSED");
      assertThat(dialer.request("no-such-command", Map.of(), Duration.ofSeconds(5)))
          .containsEntry("ok", false)
          .containsEntry("error", "unknown command \"no-such-command\"");
    }
  }

  @Test
  void closeStopsThePeerProcess() {
    JsPeer peer = JsPeer.start(JsPeerOptions.listening());
    assertThat(peer.isAlive()).isTrue();
    peer.close();
    assertThat(peer.isAlive()).isFalse();
    assertThatThrownBy(() -> peer.connections())
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("could not send connections");
  }
}
