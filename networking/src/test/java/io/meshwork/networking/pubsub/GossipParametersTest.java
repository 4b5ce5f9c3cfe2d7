package io.meshwork.networking.pubsub;

import static io.meshwork.networking.pubsub.RouterHarness.TOPIC;
import static io.meshwork.networking.pubsub.RouterHarness.controlRpc;
import static io.meshwork.networking.pubsub.RouterHarness.publishRpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import io.meshwork.networking.pubsub.score.PeerScoreParams;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test per router parameter not covered in {@link GossipRouterTest}. */
class GossipParametersTest {

  private static GossipsubProto.ControlMessage.Builder graft() {
    return GossipsubProto.ControlMessage.newBuilder()
        .addGraft(GossipsubProto.ControlGraft.newBuilder().setTopicID(TOPIC));
  }

  @Test
  void gossipFactorWidensGossipBeyondDlazy() {
    RouterHarness h = new RouterHarness(GossipConfig.builder().gossipFactor(0.5).build());
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < 46; i++) {
      peers.add(h.subscribedPeer());
    }
    h.router.subscribe(TOPIC);
    h.router.handleRpc(peers.get(0), publishRpc(h.signed(peers.get(0), "m")));
    h.sent.clear();
    h.tick();
    // 40 non-mesh peers, factor 0.5: 20 of them, more than Dlazy = 6.
    assertThat(peers.stream().filter(p -> !h.ihavesTo(p).isEmpty())).hasSize(20);
  }

  @Test
  void advertisesOnlyTheLastMcacheGossipWindows() {
    RouterHarness h = new RouterHarness(GossipConfig.builder().messageCache(5, 2).build());
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      peers.add(h.subscribedPeer());
    }
    h.router.subscribe(TOPIC);
    h.router.handleRpc(peers.get(0), publishRpc(h.signed(peers.get(0), "m")));
    h.tick();
    h.tick();
    h.sent.clear();
    h.tick();
    assertThat(peers).allSatisfy(p -> assertThat(h.ihavesTo(p)).isEmpty());
    // Still in the cache (5 windows), so an IWANT is answered.
    assertThat(h.router.mcache.size()).isEqualTo(1);
  }

  @Test
  void dScoreKeepsTheBestScoringPeersWhenPruning() {
    Set<PeerId> best = new HashSet<>();
    RouterHarness h =
        new RouterHarness(
            GossipConfig.builder()
                .dOut(0)
                .scoreParams(
                    PeerScoreParams.builder()
                        .appSpecificScore(p -> best.contains(p) ? 10 : 0, 1)
                        .build())
                .build());
    h.router.subscribe(TOPIC);
    List<PeerId> mesh = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      PeerId p = h.subscribedPeer(GossipProtocol.MESHSUB_V12, true);
      mesh.add(p);
      h.router.handleRpc(p, controlRpc(graft()));
    }
    best.addAll(mesh.subList(0, 4));
    h.tick();
    assertThat(h.router.meshPeers(TOPIC)).hasSize(6).containsAll(best);
  }

  @Test
  void peerExchangeOffersAtMostPrunePeers() {
    RouterHarness h = new RouterHarness(GossipConfig.builder().peerExchange(true, 3).build());
    h.router.subscribe(TOPIC);
    for (int i = 0; i < 12; i++) {
      h.router.handleRpc(h.subscribedPeer(GossipProtocol.MESHSUB_V12, false), controlRpc(graft()));
    }
    PeerId refused = h.subscribedPeer(GossipProtocol.MESHSUB_V12, false);
    h.router.handleRpc(refused, controlRpc(graft()));
    assertThat(h.prunesTo(refused).get(0).getPeersCount()).isEqualTo(3);
  }

  @Test
  void noPeerExchangeWhenDisabled() {
    RouterHarness h = new RouterHarness(GossipConfig.builder().peerExchange(false, 16).build());
    h.router.subscribe(TOPIC);
    for (int i = 0; i < 12; i++) {
      h.router.handleRpc(h.subscribedPeer(GossipProtocol.MESHSUB_V12, false), controlRpc(graft()));
    }
    PeerId refused = h.subscribedPeer(GossipProtocol.MESHSUB_V12, false);
    h.router.handleRpc(refused, controlRpc(graft()));
    assertThat(h.prunesTo(refused).get(0).getPeersCount()).isZero();
  }

  @Test
  void splitsOutgoingTrafficIntoRpcsBelowTheMaximumSize() {
    RouterHarness h =
        new RouterHarness(
            GossipConfig.builder().maxRpcSize(64 * 1024).maxMessageSize(30_000).build());
    PeerId source = h.subscribedPeer();
    PeerId listener = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    RPC.Builder many = RPC.newBuilder();
    for (int i = 0; i < 5; i++) {
      many.addPublish(h.signed(source, TOPIC, new byte[25_000 + i]));
    }
    h.sent.clear();
    h.router.handleRpc(source, many.build());

    List<RPC> toListener =
        h.sentTo(listener).stream().filter(r -> r.getPublishCount() > 0).toList();
    assertThat(toListener).hasSizeGreaterThan(1);
    assertThat(toListener)
        .allSatisfy(r -> assertThat(r.getSerializedSize()).isLessThanOrEqualTo(64 * 1024));
    assertThat(toListener.stream().mapToInt(RPC::getPublishCount).sum()).isEqualTo(5);
  }

  @Test
  void configurationRejectsInconsistentDegrees() {
    assertThatThrownBy(() -> GossipConfig.builder().meshDegree(6, 7, 12).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GossipConfig.builder().dOut(5).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> GossipConfig.builder().signingPolicy(SigningPolicy.STRICT_NO_SIGN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("content-based");
  }

  @Test
  void usesThePerTopicMessageIdFunction() {
    RouterHarness h =
        new RouterHarness(
            GossipConfig.builder()
                .topicMessageIdFunctions(java.util.Map.of(TOPIC, MessageIdFunction.sha256OfData()))
                .build());
    PeerId a = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    // Two authors' messages with equal data share a content id: the second is a duplicate.
    PeerId b = h.subscribedPeer();
    h.router.handleRpc(a, publishRpc(h.signed(a, "same")));
    h.router.handleRpc(b, publishRpc(h.signed(b, "same")));
    assertThat(h.delivered).hasSize(1);
    assertThat(h.router.metrics(TOPIC).orElseThrow().duplicates()).isEqualTo(1);
  }
}
