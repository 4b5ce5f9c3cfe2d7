package io.meshwork.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.peers.AddressBookConfig;
import io.meshwork.networking.peers.PeerManagerConfig;
import io.meshwork.networking.pubsub.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodeBuilderTest {
  private static final String TOPIC = "/meshwork/test/node";
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");

  @Test
  void loopbackSettingsApplyOnlyWhenEveryListenAddressIsLoopback() {
    assertThat(NodeBuilder.allLoopback(List.of(LOOPBACK))).isTrue();
    assertThat(
            NodeBuilder.allLoopback(
                List.of(LOOPBACK, Multiaddr.fromString("/ip4/0.0.0.0/tcp/4001"))))
        .isFalse();
    assertThat(NodeBuilder.allLoopback(List.of())).isFalse();
    assertThat(NodeBuilder.peerManagerConfig(true).book().grouping())
        .isEqualTo(AddressBookConfig.loopback().grouping());
    assertThat(NodeBuilder.peerManagerConfig(false)).isEqualTo(PeerManagerConfig.defaults());
  }

  @Test
  void gossipOfANodeIsSignedWithItsIdentityAndReachesConfiguredSubscribers() throws Exception {
    PrivateKey keyA = PrivateKey.generate(KeyType.SECP256K1);
    NodeConfig configA =
        new NodeConfig(
            List.of(LOOPBACK), List.of(), Optional.empty(), Optional.empty(), List.of(TOPIC));
    try (Node a = new NodeBuilder(configA).identity(keyA).start()) {
      assertThat(a.host().peerId()).isEqualTo(PeerId.fromPublicKey(keyA.publicKey()));
      BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
      NodeConfig configB =
          new NodeConfig(
              List.of(LOOPBACK),
              a.listenAddresses(),
              Optional.empty(),
              Optional.empty(),
              List.of(TOPIC));
      try (Node b = new NodeBuilder(configB).onMessage(received::add).start()) {
        byte[] data = "hi".getBytes(StandardCharsets.UTF_8);
        ReceivedMessage message = null;
        // The mesh forms at a heartbeat (1 s): publish until one arrives, within a bound.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (message == null && System.nanoTime() < deadline) {
          a.gossip().publish(TOPIC, data).get(5, TimeUnit.SECONDS);
          message = received.poll(1, TimeUnit.SECONDS);
        }
        assertThat(message).as("a message from A reached B").isNotNull();
        assertThat(message.topic()).isEqualTo(TOPIC);
        assertThat(message.author()).hasValue(a.host().peerId());
        assertThat(message.data()).isEqualTo(data);
      }
    }
  }

  @Test
  void rejectsAnEmptyTopic() {
    assertThatThrownBy(
            () ->
                new NodeConfig(
                    List.of(LOOPBACK), List.of(), Optional.empty(), Optional.empty(), List.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic");
  }
}
