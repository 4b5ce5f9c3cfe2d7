package io.meshwork.networking.pubsub;

import static io.meshwork.networking.pubsub.RouterHarness.TOPIC;
import static io.meshwork.networking.pubsub.RouterHarness.controlRpc;
import static io.meshwork.networking.pubsub.RouterHarness.publishRpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile input is bounded and penalised, and the router keeps serving honest peers afterwards. */
class BadInputTest {

  /** After an attack, an honest peer's message is still delivered and forwarded. */
  private static void assertStillServesHonestPeers(RouterHarness h) {
    PeerId honest = h.subscribedPeer();
    PeerId listener = h.subscribedPeer();
    h.router.handleRpc(
        listener,
        controlRpc(
            GossipsubProto.ControlMessage.newBuilder()
                .addGraft(GossipsubProto.ControlGraft.newBuilder().setTopicID(TOPIC))));
    int before = h.delivered.size();
    h.sent.clear();
    h.router.handleRpc(honest, publishRpc(h.signed(honest, "still here")));
    assertThat(h.delivered).hasSize(before + 1);
    assertThat(h.messagesTo(listener)).hasSize(1);
  }

  @Test
  void malformedRpcBytesOnlyEverRaiseRpcFormatException() {
    RpcCodec codec = new RpcCodec(1 << 20);
    Random random = new Random(3);
    int refused = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      try {
        codec.decode(garbage);
      } catch (RpcFormatException e) {
        refused++;
      }
    }
    assertThat(refused).isPositive();
  }

  @Test
  void oversizedRpcsAreRefusedAndOversizedMessagesPenalised() {
    RouterHarness h = new RouterHarness(GossipConfig.builder().maxMessageSize(1000).build());
    assertThatThrownBy(() -> new RpcCodec(1 << 20).decode(new byte[(1 << 20) + 1]))
        .isInstanceOf(RpcFormatException.class);
    h.router.subscribe(TOPIC);
    PeerId attacker = h.subscribedPeer();
    h.router.handleRpc(attacker, publishRpc(h.signed(attacker, TOPIC, new byte[1001])));

    assertThat(h.delivered).isEmpty();
    assertThat(h.router.metrics(TOPIC).orElseThrow().invalid()).isEqualTo(1);
    assertThat(h.router.score(attacker)).isNegative();
    assertStillServesHonestPeers(h);
  }

  @Test
  void aBadSignatureIsPenalisedAndDoesNotShadowTheGenuineMessage() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId attacker = h.subscribedPeer();
    PeerId author = h.subscribedPeer();
    GossipsubProto.Message genuine = h.signed(author, "genuine");
    GossipsubProto.Message forged =
        genuine.toBuilder().setData(ByteString.copyFromUtf8("forged")).build();

    h.router.handleRpc(attacker, publishRpc(forged));
    assertThat(h.delivered).isEmpty();
    assertThat(h.router.score(attacker)).isNegative();

    h.router.handleRpc(author, publishRpc(genuine));
    assertThat(h.delivered)
        .singleElement()
        .satisfies(d -> assertThat(d.message().data()).isEqualTo("genuine".getBytes()));
    assertStillServesHonestPeers(h);
  }

  @Test
  void tenThousandSubscriptionsInOneRpcAreIgnoredAndPenalised() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId attacker = h.newPeer(GossipProtocol.MESHSUB_V11, false);
    RPC.Builder flood = RPC.newBuilder();
    for (int i = 0; i < 10_000; i++) {
      flood.addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid("spam-" + i));
    }
    h.router.handleRpc(attacker, flood.build());

    assertThat(h.router.topicPeers).isEmpty();
    assertThat(h.router.score(attacker)).isNegative();
    assertStillServesHonestPeers(h);
  }

  @Test
  void subscriptionsPerPeerAreCapped() {
    RouterHarness h = new RouterHarness();
    PeerId attacker = h.newPeer(GossipProtocol.MESHSUB_V11, false);
    for (int i = 0; i < 300; i++) {
      h.router.handleRpc(attacker, RouterHarness.subscribeRpc("topic-" + i, true));
    }
    h.router.handleRpc(attacker, RouterHarness.subscribeRpc("x".repeat(10_000), true));
    assertThat(h.router.topicPeers).hasSize(256);
    assertThat(h.router.score(attacker)).isNegative();
  }

  @Test
  void iwantFloodsAreAnsweredWithBoundedWork() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId attacker = h.subscribedPeer();
    MessageId id = h.router.publish(TOPIC, new byte[] {1});
    GossipsubProto.ControlIWant.Builder iwant = GossipsubProto.ControlIWant.newBuilder();
    for (int i = 0; i < 20_000; i++) {
      iwant.addMessageIDs(ByteString.copyFrom(id.toBytes()));
    }
    h.sent.clear();
    h.router.handleRpc(
        attacker, controlRpc(GossipsubProto.ControlMessage.newBuilder().addIwant(iwant)));
    assertThat(h.messagesTo(attacker)).hasSize(3);
  }

  @Test
  void idontwantFloodsAreCappedPerHeartbeat() {
    RouterHarness h = new RouterHarness();
    PeerId attacker = h.subscribedPeer();
    GossipsubProto.ControlIDontWant.Builder idw = GossipsubProto.ControlIDontWant.newBuilder();
    for (int i = 0; i < 50_000; i++) {
      idw.addMessageIDs(ByteString.copyFromUtf8("id" + i));
    }
    h.router.handleRpc(
        attacker, controlRpc(GossipsubProto.ControlMessage.newBuilder().addIdontwant(idw)));
    assertThat(h.router.peers.get(attacker).dontSend).hasSize(1000);
    for (int i = 0; i < 3; i++) {
      h.tick();
    }
    assertThat(h.router.peers.get(attacker).dontSend).isEmpty();
  }

  @Test
  void aGraylistedPeersRpcsAreIgnoredEntirely() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId attacker = h.subscribedPeer();
    h.router.score.behaviourPenalty(attacker, 10); // -100 < -80
    h.router.handleRpc(attacker, publishRpc(h.signed(attacker, "ignored")));
    assertThat(h.delivered).isEmpty();
    assertThat(h.router.graylistedRpcs()).isEqualTo(1);
    assertStillServesHonestPeers(h);
  }
}
