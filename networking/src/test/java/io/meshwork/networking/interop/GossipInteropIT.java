package io.meshwork.networking.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.pubsub.GossipConfig;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.pubsub.MessageId;
import io.meshwork.networking.pubsub.ReceivedMessage;
import io.meshwork.networking.testsupport.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Meshwork's gossipsub against js-libp2p's (@libp2p/gossipsub, StrictSign, from ‖ seqno ids): a
 * star with the Java node J in the middle and js peers A and B each connected only to J, so every
 * message between A and B is relayed by J.
 */
@Tag("interop")
class GossipInteropIT {
  private static final String TOPIC = "/meshwork/interop/gossip";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Host host;
  private GossipService gossip;
  private final List<ReceivedMessage> inbox = new CopyOnWriteArrayList<>();
  private JsPeer a;
  private JsPeer b;

  @BeforeEach
  void formStar() throws Exception {
    formStar(KeyType.ED25519, JsPeerOptions.KeyType.ED25519);
  }

  /** Replaces the star {@link #formStar()} built with one using the given identity key types. */
  private void restar(KeyType javaKey, JsPeerOptions.KeyType jsKey) throws Exception {
    stop();
    inbox.clear();
    formStar(javaKey, jsKey);
  }

  private void formStar(KeyType javaKey, JsPeerOptions.KeyType jsKey) throws Exception {
    PrivateKey key = PrivateKey.generate(javaKey);
    host = new HostBuilder().identity(key).build();
    host.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
    // The js default heartbeat is 1 s too; mesh formation takes a heartbeat or two on each side.
    GossipConfig config = GossipConfig.builder().heartbeatInterval(Duration.ofSeconds(1)).build();
    gossip = new GossipService(host, key, config, 4L << 20, p -> Optional.empty());
    gossip.start();
    gossip.subscribe(TOPIC, inbox::add);

    String javaAddress = host.listenAddresses().get(0).withP2p(host.peerId().toBytes()).toString();
    a = JsPeer.start(JsPeerOptions.dialOnly().withKeyType(jsKey));
    b = JsPeer.start(JsPeerOptions.dialOnly().withKeyType(jsKey));
    for (JsPeer js : List.of(a, b)) {
      js.subscribe(TOPIC);
      js.dial(javaAddress);
    }
    String j = host.peerId().toString();
    Eventually.holds(
        () -> {
          assertThat(javaMesh()).contains(PeerId.parse(a.peerId()), PeerId.parse(b.peerId()));
          assertThat(a.meshPeers(TOPIC)).containsExactly(j);
          assertThat(b.meshPeers(TOPIC)).containsExactly(j);
        });
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {a, b, gossip, host}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // Closing the rest matters more than this failure.
        }
      }
    }
    a = null;
    b = null;
    gossip = null;
    host = null;
  }

  private Set<PeerId> javaMesh() {
    return gossip.meshPeers(TOPIC).join();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void jsMessageIsRelayedByJavaToTheOtherJsPeerWithTheSameMessageId() {
    byte[] payload = utf8("from A via J");
    a.publish(TOPIC, payload);

    JsGossipMessage atB = b.awaitMessage(TOPIC, m -> Arrays.equals(m.data(), payload), TIMEOUT);
    assertThat(atB.from()).contains(a.peerId());
    Eventually.holds(() -> assertThat(inbox).anyMatch(m -> Arrays.equals(m.data(), payload)));
    ReceivedMessage atJ =
        inbox.stream().filter(m -> Arrays.equals(m.data(), payload)).findFirst().orElseThrow();
    assertThat(atJ.author()).contains(PeerId.parse(a.peerId()));
    assertThat(atJ.propagationSource()).isEqualTo(PeerId.parse(a.peerId()));
    assertThat(atB.messageId()).isEqualTo(atJ.id().toBytes());
  }

  @Test
  void javaMessageReachesBothJsPeersWithTheSameMessageId() throws Exception {
    byte[] payload = utf8("from J");
    MessageId id = gossip.publish(TOPIC, payload).get(10, TimeUnit.SECONDS);

    for (JsPeer js : List.of(a, b)) {
      JsGossipMessage received =
          js.awaitMessage(TOPIC, m -> Arrays.equals(m.data(), payload), TIMEOUT);
      assertThat(received.from()).contains(host.peerId().toString());
      assertThat(received.messageId()).isEqualTo(id.toBytes());
    }
  }

  @Test
  void javaPrunesTheJsPeerThatUnsubscribes() {
    b.unsubscribe(TOPIC);

    Eventually.holds(
        () -> {
          assertThat(javaMesh()).doesNotContain(PeerId.parse(b.peerId()));
          assertThat(javaMesh()).contains(PeerId.parse(a.peerId()));
          assertThat(gossip.topicPeers(TOPIC).join()).contains(PeerId.parse(a.peerId()));
        });
    // The unsubscription itself reached J too, not only the PRUNE: B left the topic's peers.
    assertThat(gossip.topicPeers(TOPIC).join()).doesNotContain(PeerId.parse(b.peerId()));
  }

  @Test
  void secp256k1SignedMessagesCrossBothWays() throws Exception {
    // Signatures and from ‖ seqno ids with secp256k1 identities on both sides (the star above
    // used Ed25519).
    restar(KeyType.SECP256K1, JsPeerOptions.KeyType.SECP256K1);
    byte[] fromA = utf8("secp256k1 from A");
    a.publish(TOPIC, fromA);
    JsGossipMessage atB = b.awaitMessage(TOPIC, m -> Arrays.equals(m.data(), fromA), TIMEOUT);
    Eventually.holds(() -> assertThat(inbox).anyMatch(m -> Arrays.equals(m.data(), fromA)));
    ReceivedMessage atJ =
        inbox.stream().filter(m -> Arrays.equals(m.data(), fromA)).findFirst().orElseThrow();
    assertThat(atJ.author()).contains(PeerId.parse(a.peerId()));
    assertThat(atB.messageId()).isEqualTo(atJ.id().toBytes());

    byte[] fromJ = utf8("secp256k1 from J");
    MessageId id = gossip.publish(TOPIC, fromJ).get(10, TimeUnit.SECONDS);
    JsGossipMessage atA = a.awaitMessage(TOPIC, m -> Arrays.equals(m.data(), fromJ), TIMEOUT);
    assertThat(atA.from()).contains(host.peerId().toString());
    assertThat(atA.messageId()).isEqualTo(id.toBytes());
  }
}
