package io.meshwork.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.interop.JsDhtPeer;
import io.meshwork.networking.interop.JsPeer;
import io.meshwork.networking.interop.JsPeerOptions;
import io.meshwork.networking.kad.KadPeer;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.testsupport.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The "done when": a Meshwork node started with {@code --bootstrap} joins a network of
 * js-libp2p (@libp2p/kad-dht) and Meshwork nodes, and its routing table fills with both.
 */
@Tag("interop")
class MixedNetworkIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final Duration JOIN = Duration.ofSeconds(60);

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void aNodeBootstrappedFromAJsPeerFillsItsRoutingTableWithJsAndMeshworkPeers() throws Exception {
    JsPeer js1 = js();
    JsPeer js2 = js();
    js2.dhtAddPeer(js1.addrs().get(0));
    Node first = node(js1.addrs().get(0));

    Eventually.holds(JOIN, () -> assertThat(tableOf(first)).contains(js1.peerId(), js2.peerId()));

    Node second = node(js1.addrs().get(0));
    String firstId = first.host().peerId().toBase58();
    String secondId = second.host().peerId().toBase58();
    Eventually.holds(
        JOIN, () -> assertThat(tableOf(second)).contains(js1.peerId(), js2.peerId(), firstId));
    Eventually.holds(JOIN, () -> assertThat(tableOf(first)).contains(secondId));

    // and the js side finds a Meshwork node by id through the mixed network
    JsDhtPeer found = js2.dhtFindPeer(secondId, Duration.ofSeconds(20));
    assertThat(found.addrs()).contains(second.listenAddresses().get(0).withoutP2p().toString());
  }

  private static List<String> tableOf(Node node) {
    return node.dht().routingTable().join().stream()
        .map(KadPeer::id)
        .map(id -> id.toBase58())
        .toList();
  }

  private JsPeer js() {
    JsPeer peer = JsPeer.start(JsPeerOptions.dhtServer());
    running.add(peer);
    return peer;
  }

  private Node node(String bootstrap) {
    Node node =
        new NodeBuilder(
                new NodeConfig(
                    List.of(LOOPBACK),
                    List.of(Multiaddr.fromString(bootstrap)),
                    Optional.empty(),
                    Optional.empty()))
            .start();
    running.add(node);
    return node;
  }
}
