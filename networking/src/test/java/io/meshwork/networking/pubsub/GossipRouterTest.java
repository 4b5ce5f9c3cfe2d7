package io.meshwork.networking.pubsub;

import static io.meshwork.networking.pubsub.RouterHarness.TOPIC;
import static io.meshwork.networking.pubsub.RouterHarness.controlRpc;
import static io.meshwork.networking.pubsub.RouterHarness.idOf;
import static io.meshwork.networking.pubsub.RouterHarness.publishRpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.ControlMessage;
import io.meshwork.networking.pubsub.score.PeerScoreParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GossipRouterTest {

  private static ControlMessage.Builder graft(String topic) {
    return ControlMessage.newBuilder()
        .addGraft(GossipsubProto.ControlGraft.newBuilder().setTopicID(topic));
  }

  private static ControlMessage.Builder prune(String topic, long backoff, PeerId... px) {
    GossipsubProto.ControlPrune.Builder b =
        GossipsubProto.ControlPrune.newBuilder().setTopicID(topic).setBackoff(backoff);
    for (PeerId p : px) {
      b.addPeers(GossipsubProto.PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(p.toBytes())));
    }
    return ControlMessage.newBuilder().addPrune(b);
  }

  private static ControlMessage.Builder ihave(String topic, List<MessageId> ids) {
    GossipsubProto.ControlIHave.Builder b =
        GossipsubProto.ControlIHave.newBuilder().setTopicID(topic);
    ids.forEach(id -> b.addMessageIDs(ByteString.copyFrom(id.toBytes())));
    return ControlMessage.newBuilder().addIhave(b);
  }

  private static ControlMessage.Builder iwant(MessageId id) {
    return ControlMessage.newBuilder()
        .addIwant(
            GossipsubProto.ControlIWant.newBuilder()
                .addMessageIDs(ByteString.copyFrom(id.toBytes())));
  }

  private static ControlMessage.Builder idontwant(MessageId id) {
    return ControlMessage.newBuilder()
        .addIdontwant(
            GossipsubProto.ControlIDontWant.newBuilder()
                .addMessageIDs(ByteString.copyFrom(id.toBytes())));
  }

  private static List<MessageId> randomIds(int n, int salt) {
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(MessageId.of(("id-" + salt + "-" + i).getBytes()));
    }
    return ids;
  }

  // ---- subscriptions and mesh formation ------------------------------------------------------

  @Test
  void announcesItsSubscriptionsToANewPeer() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId peer = h.newPeer(GossipProtocol.MESHSUB_V11, true);

    assertThat(h.sentTo(peer)).hasSize(1);
    assertThat(h.sentTo(peer).get(0).getSubscriptions(0).getTopicid()).isEqualTo(TOPIC);
    assertThat(h.sentTo(peer).get(0).getSubscriptions(0).getSubscribe()).isTrue();
  }

  @Test
  void announcesItsSubscriptionsAgainOnAReplacedStreamAndKeepsTheMesh() {
    RouterHarness h = new RouterHarness();
    PeerId peer = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    h.sent.clear();

    h.router.announceSubscriptions(peer);

    assertThat(h.sentTo(peer))
        .singleElement()
        .satisfies(rpc -> assertThat(rpc.getSubscriptions(0).getTopicid()).isEqualTo(TOPIC));
    assertThat(h.router.meshPeers(TOPIC)).containsExactly(peer);
    assertThat(h.router.topicPeers(TOPIC)).containsExactly(peer);
  }

  @Test
  void subscribingGraftsDPeersAndTellsEveryPeer() {
    RouterHarness h = new RouterHarness();
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      peers.add(h.subscribedPeer());
    }
    h.router.subscribe(TOPIC);

    assertThat(h.router.meshPeers(TOPIC)).hasSize(6);
    for (PeerId p : peers) {
      assertThat(h.sentTo(p).get(0).getSubscriptionsList()).hasSize(1);
      assertThat(h.graftsTo(p)).hasSize(h.router.meshPeers(TOPIC).contains(p) ? 1 : 0);
    }
  }

  @Test
  void unsubscribingPrunesTheMeshWithTheUnsubscribeBackoff() {
    RouterHarness h = new RouterHarness();
    PeerId peer = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    h.router.unsubscribe(TOPIC);

    assertThat(h.router.meshPeers(TOPIC)).isEmpty();
    assertThat(h.prunesTo(peer))
        .singleElement()
        .satisfies(p -> assertThat(p.getBackoff()).isEqualTo(10));
  }

  @Test
  void aPeerThatUnsubscribesLeavesTheMesh() {
    RouterHarness h = new RouterHarness();
    PeerId peer = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    assertThat(h.router.meshPeers(TOPIC)).contains(peer);

    h.router.handleRpc(peer, RouterHarness.subscribeRpc(TOPIC, false));

    assertThat(h.router.meshPeers(TOPIC)).isEmpty();
    assertThat(h.router.topicPeers(TOPIC)).isEmpty();
  }

  // ---- GRAFT ---------------------------------------------------------------------------------

  @Test
  void acceptsAGraftOnAJoinedTopic() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId peer = h.subscribedPeer(GossipProtocol.MESHSUB_V11, false);
    h.router.handleRpc(peer, controlRpc(graft(TOPIC)));

    assertThat(h.router.meshPeers(TOPIC)).containsExactly(peer);
    assertThat(h.prunesTo(peer)).isEmpty();
  }

  @Test
  void ignoresAGraftForATopicItIsNotInWithoutAnsweringPrune() {
    RouterHarness h = new RouterHarness();
    PeerId peer = h.subscribedPeer();
    h.router.handleRpc(peer, controlRpc(graft("/other")));

    assertThat(h.router.meshPeers("/other")).isEmpty();
    assertThat(h.prunesTo(peer)).isEmpty();
  }

  @Test
  void penalisesAndPrunesAGraftDuringBackoff() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId peer = h.subscribedPeer();
    h.router.handleRpc(peer, controlRpc(graft(TOPIC)));
    h.router.handleRpc(peer, controlRpc(prune(TOPIC, 60)));
    assertThat(h.router.meshPeers(TOPIC)).isEmpty();

    h.advance(Duration.ofSeconds(1));
    h.router.handleRpc(peer, controlRpc(graft(TOPIC)));

    assertThat(h.router.meshPeers(TOPIC)).isEmpty();
    assertThat(h.prunesTo(peer))
        .singleElement()
        .satisfies(p -> assertThat(p.getPeersCount()).isZero());
    // Two P7 counts (backoff violation within the graft flood threshold), squared, weight -1.
    assertThat(h.router.score(peer)).isEqualTo(-4.0);
  }

  @Test
  void refusesAnInboundGraftWhenTheMeshIsFullButAcceptsAnOutboundOne() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    for (int i = 0; i < 12; i++) {
      PeerId p = h.subscribedPeer(GossipProtocol.MESHSUB_V11, false);
      h.router.handleRpc(p, controlRpc(graft(TOPIC)));
    }
    PeerId inbound = h.subscribedPeer(GossipProtocol.MESHSUB_V11, false);
    PeerId outbound = h.subscribedPeer(GossipProtocol.MESHSUB_V11, true);
    h.records.put(h.router.meshPeers(TOPIC).iterator().next(), new byte[] {1, 2, 3});

    h.router.handleRpc(inbound, controlRpc(graft(TOPIC)));
    h.router.handleRpc(outbound, controlRpc(graft(TOPIC)));

    assertThat(h.router.meshPeers(TOPIC)).hasSize(13).contains(outbound).doesNotContain(inbound);
    GossipsubProto.ControlPrune refusal = h.prunesTo(inbound).get(0);
    assertThat(refusal.getBackoff()).isEqualTo(60);
    assertThat(refusal.getPeersCount()).isEqualTo(13);
    assertThat(refusal.getPeersList())
        .anySatisfy(
            info -> assertThat(info.getSignedPeerRecord().toByteArray()).containsExactly(1, 2, 3));
  }

  @Test
  void sendsAPlainPruneToAMeshsub10Peer() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    for (int i = 0; i < 12; i++) {
      h.router.handleRpc(
          h.subscribedPeer(GossipProtocol.MESHSUB_V11, false), controlRpc(graft(TOPIC)));
    }
    PeerId old = h.subscribedPeer(GossipProtocol.MESHSUB_V10, false);
    h.router.handleRpc(old, controlRpc(graft(TOPIC)));

    GossipsubProto.ControlPrune prune = h.prunesTo(old).get(0);
    assertThat(prune.hasBackoff()).isFalse();
    assertThat(prune.getPeersCount()).isZero();
  }

  // ---- PRUNE ---------------------------------------------------------------------------------

  @Test
  void doesNotRegraftAPrunedPeerBeforeItsBackoffEnds() {
    RouterHarness h = new RouterHarness();
    PeerId peer = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    h.router.handleRpc(peer, controlRpc(prune(TOPIC, 5)));
    h.sent.clear();

    for (int i = 0; i < 4; i++) {
      h.tick();
    }
    assertThat(h.router.meshPeers(TOPIC)).isEmpty();
    assertThat(h.graftsTo(peer)).isEmpty();
    h.tick();
    h.tick();
    assertThat(h.router.meshPeers(TOPIC)).containsExactly(peer);
    assertThat(h.graftsTo(peer)).hasSize(1);
  }

  @Test
  void treatsAZeroBackoffAsTheDefaultPruneBackoff() {
    RouterHarness h = new RouterHarness();
    PeerId peer = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    h.router.handleRpc(peer, controlRpc(prune(TOPIC, 0)));
    for (int i = 0; i < 10; i++) {
      h.tick();
    }
    assertThat(h.router.meshPeers(TOPIC)).isEmpty();
  }

  @Test
  void acceptsPeerExchangeOnlyFromPeersAboveTheThreshold() {
    Set<PeerId> trusted = new HashSet<>();
    RouterHarness h =
        new RouterHarness(
            GossipConfig.builder()
                .scoreParams(
                    PeerScoreParams.builder()
                        .appSpecificScore(p -> trusted.contains(p) ? 20 : 0, 1)
                        .build())
                .build());
    h.router.subscribe(TOPIC);
    PeerId bootstrapper = h.subscribedPeer();
    PeerId stranger = h.subscribedPeer();
    trusted.add(bootstrapper);
    PeerId a = PeerId.fromPublicKey(h.key.publicKey());
    PeerId x = h.newPeer(GossipProtocol.MESHSUB_V11, true);
    h.router.removePeer(x);

    h.router.handleRpc(stranger, controlRpc(prune(TOPIC, 60, x)));
    assertThat(h.exchanges).isEmpty();
    h.router.handleRpc(bootstrapper, controlRpc(prune(TOPIC, 60, x, a)));
    assertThat(h.exchanges)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.pruner()).isEqualTo(bootstrapper);
              // Our own id is never offered back to us.
              assertThat(e.peers()).extracting(PxPeer::peerId).containsExactly(x);
            });

    // Many PRUNEs with peers in one RPC: only the first exchange is taken.
    ControlMessage.Builder many = ControlMessage.newBuilder();
    for (int i = 0; i < 100; i++) {
      many.addPrune(prune(TOPIC, 60, x).getPrune(0));
    }
    h.exchanges.clear();
    h.router.handleRpc(bootstrapper, controlRpc(many));
    assertThat(h.exchanges).hasSize(1);
  }

  // ---- IHAVE / IWANT -------------------------------------------------------------------------

  @Test
  void asksWithIwantForAdvertisedMessagesItHasNotSeen() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId peer = h.subscribedPeer();
    GossipsubProto.Message known = h.signed(peer, "known");
    h.router.handleRpc(peer, publishRpc(known));
    MessageId unknown = MessageId.of(new byte[] {9, 9, 9});
    h.sent.clear();

    h.router.handleRpc(peer, controlRpc(ihave(TOPIC, List.of(idOf(known), unknown))));

    assertThat(h.iwantIdsTo(peer)).containsExactly(ByteString.copyFrom(unknown.toBytes()));
    assertThat(h.sent).allMatch(RouterHarness.Sent::gossip);
  }

  @Test
  void ignoresIhaveForTopicsItIsNotIn() {
    RouterHarness h = new RouterHarness();
    PeerId peer = h.subscribedPeer();
    h.router.handleRpc(peer, controlRpc(ihave(TOPIC, randomIds(3, 1))));
    assertThat(h.iwantIdsTo(peer)).isEmpty();
  }

  @Test
  void capsIhaveMessagesAndRequestedIdsPerHeartbeatAndPenalisesBrokenPromises() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId flooder = h.subscribedPeer();
    for (int i = 0; i < 30; i++) {
      h.router.handleRpc(flooder, controlRpc(ihave(TOPIC, randomIds(1000, i))));
    }
    long iwantRpcs =
        h.sentTo(flooder).stream().filter(r -> r.getControl().getIwantCount() > 0).count();
    assertThat(h.iwantIdsTo(flooder)).hasSize(5000);
    assertThat(iwantRpcs).isEqualTo(5);

    // The next heartbeat opens a new budget.
    h.tick();
    h.router.handleRpc(flooder, controlRpc(ihave(TOPIC, randomIds(10, 99))));
    assertThat(h.iwantIdsTo(flooder)).hasSize(5010);

    // None of the advertised messages come: each IWANT's promise breaks (P7), and the flooder
    // falls below the gossip threshold, so its IHAVEs are ignored from then on.
    h.advance(Duration.ofSeconds(4));
    h.router.heartbeat();
    assertThat(h.router.score(flooder)).isEqualTo(-36.0);
    h.router.heartbeat();
    h.router.handleRpc(flooder, controlRpc(ihave(TOPIC, randomIds(10, 100))));
    assertThat(h.iwantIdsTo(flooder)).hasSize(5010);
  }

  @Test
  void ignoresGossipFromPeersBelowTheGossipThreshold() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId peer = h.subscribedPeer();
    h.router.score.behaviourPenalty(peer, 4); // -16 < -10
    h.router.handleRpc(peer, controlRpc(ihave(TOPIC, randomIds(3, 1))));
    assertThat(h.iwantIdsTo(peer)).isEmpty();
  }

  @Test
  void answersIwantFromTheCacheAtMostGossipRetransmissionTimes() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    PeerId peer = h.subscribedPeer();
    MessageId id = h.router.publish(TOPIC, new byte[] {1});
    h.sent.clear();

    for (int i = 0; i < 5; i++) {
      h.router.handleRpc(peer, controlRpc(iwant(id)));
    }
    assertThat(h.messagesTo(peer)).hasSize(3);
    assertThat(h.sent).allMatch(RouterHarness.Sent::gossip);
  }

  @Test
  void emitsIhaveToNonMeshPeersAtTheHeartbeat() {
    RouterHarness h = new RouterHarness();
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      peers.add(h.subscribedPeer());
    }
    h.router.subscribe(TOPIC);
    GossipsubProto.Message m = h.signed(peers.get(0), "gossip me");
    h.router.handleRpc(peers.get(0), publishRpc(m));
    h.sent.clear();
    h.tick();

    Set<PeerId> mesh = h.router.meshPeers(TOPIC);
    List<PeerId> gossiped = peers.stream().filter(p -> !h.ihavesTo(p).isEmpty()).toList();
    assertThat(gossiped).hasSize(6).doesNotContainAnyElementsOf(mesh);
    assertThat(h.ihavesTo(gossiped.get(0)).get(0).getMessageIDs(0))
        .isEqualTo(ByteString.copyFrom(idOf(m).toBytes()));
  }

  // ---- IDONTWANT (v1.2) ----------------------------------------------------------------------

  @Test
  void sendsIdontwantForLargeMessagesToV12MeshPeersOnly() {
    RouterHarness h = new RouterHarness();
    PeerId source = h.subscribedPeer(GossipProtocol.MESHSUB_V12, true);
    PeerId v12 = h.subscribedPeer(GossipProtocol.MESHSUB_V12, true);
    PeerId v11 = h.subscribedPeer(GossipProtocol.MESHSUB_V11, true);
    h.router.subscribe(TOPIC);
    h.sent.clear();

    GossipsubProto.Message large = h.signed(source, TOPIC, new byte[2048]);
    h.router.handleRpc(source, publishRpc(large));
    GossipsubProto.Message small = h.signed(source, TOPIC, new byte[100]);
    h.router.handleRpc(source, publishRpc(small));

    assertThat(h.idontwantIdsTo(v12)).containsExactly(ByteString.copyFrom(idOf(large).toBytes()));
    assertThat(h.idontwantIdsTo(v11)).isEmpty();
    assertThat(h.idontwantIdsTo(source)).isEmpty();
  }

  @Test
  void doesNotForwardToAPeerThatSaidIdontwant() {
    RouterHarness h = new RouterHarness();
    PeerId source = h.subscribedPeer();
    PeerId declined = h.subscribedPeer();
    PeerId other = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    GossipsubProto.Message m = h.signed(source, "payload");
    h.router.handleRpc(declined, controlRpc(idontwant(idOf(m))));
    h.sent.clear();

    h.router.handleRpc(source, publishRpc(m));

    assertThat(h.messagesTo(other)).hasSize(1);
    assertThat(h.messagesTo(declined)).isEmpty();
    assertThat(h.messagesTo(source)).isEmpty();
  }

  // ---- heartbeat mesh maintenance ------------------------------------------------------------

  @Test
  void heartbeatGraftsAnUndersubscribedMeshUpToD() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    for (int i = 0; i < 9; i++) {
      h.subscribedPeer();
    }
    h.tick();
    assertThat(h.router.meshPeers(TOPIC)).hasSize(6);
  }

  @Test
  void heartbeatPrunesAnOversubscribedMeshToDKeepingTheOutboundQuota() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    List<PeerId> inbound = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      PeerId p = h.subscribedPeer(GossipProtocol.MESHSUB_V12, false);
      inbound.add(p);
      h.router.handleRpc(p, controlRpc(graft(TOPIC)));
    }
    for (int i = 0; i < 2; i++) {
      h.router.handleRpc(
          h.subscribedPeer(GossipProtocol.MESHSUB_V12, true), controlRpc(graft(TOPIC)));
    }
    assertThat(h.router.meshPeers(TOPIC)).hasSize(14);
    h.sent.clear();
    h.tick();

    Set<PeerId> mesh = h.router.meshPeers(TOPIC);
    assertThat(mesh).hasSize(6);
    assertThat(mesh.stream().filter(p -> !inbound.contains(p))).hasSize(2);
    long pruned = h.sent.stream().mapToLong(s -> s.rpc().getControl().getPruneCount()).sum();
    assertThat(pruned).isEqualTo(8);
  }

  @Test
  void heartbeatGraftsOutboundPeersWhenTheMeshLacksThem() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(TOPIC);
    for (int i = 0; i < 6; i++) {
      h.router.handleRpc(
          h.subscribedPeer(GossipProtocol.MESHSUB_V12, false), controlRpc(graft(TOPIC)));
    }
    for (int i = 0; i < 3; i++) {
      h.subscribedPeer(GossipProtocol.MESHSUB_V12, true);
    }
    h.tick();
    assertThat(h.router.meshPeers(TOPIC)).hasSize(8);
  }

  @Test
  void heartbeatPrunesNegativePeersWithoutPeerExchange() {
    RouterHarness h = new RouterHarness();
    PeerId bad = h.subscribedPeer();
    h.subscribedPeer();
    h.router.subscribe(TOPIC);
    h.router.score.behaviourPenalty(bad, 2);
    h.tick();
    assertThat(h.router.meshPeers(TOPIC)).doesNotContain(bad);
    assertThat(h.prunesTo(bad))
        .singleElement()
        .satisfies(p -> assertThat(p.getPeersCount()).isZero());
  }

  @Test
  void graftsOpportunisticallyWhenTheMedianMeshScoreIsLow() {
    Set<PeerId> good = new HashSet<>();
    RouterHarness h =
        new RouterHarness(
            GossipConfig.builder()
                .opportunisticGraft(2, 2)
                .scoreParams(
                    PeerScoreParams.builder()
                        .appSpecificScore(p -> good.contains(p) ? 5 : 0, 1)
                        .build())
                .build());
    for (int i = 0; i < 6; i++) {
      h.subscribedPeer();
    }
    h.router.subscribe(TOPIC);
    for (int i = 0; i < 3; i++) {
      good.add(h.subscribedPeer());
    }
    h.tick();
    assertThat(h.router.meshPeers(TOPIC)).hasSize(6).doesNotContainAnyElementsOf(good);
    h.tick();
    assertThat(h.router.meshPeers(TOPIC)).hasSize(8);
    assertThat(good.stream().filter(h.router.meshPeers(TOPIC)::contains)).hasSize(2);
  }

  // ---- publishing ----------------------------------------------------------------------------

  @Test
  void floodPublishesOwnMessagesToEveryTopicPeer() {
    RouterHarness h = new RouterHarness();
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      peers.add(h.subscribedPeer());
    }
    h.router.subscribe(TOPIC);
    h.router.publish(TOPIC, new byte[] {42});
    assertThat(peers).allSatisfy(p -> assertThat(h.messagesTo(p)).hasSize(1));
  }

  @Test
  void publishesThroughFanoutWithoutFloodAndForgetsItAfterTheTtl() {
    RouterHarness h = new RouterHarness(GossipConfig.builder().floodPublish(false).build());
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      peers.add(h.subscribedPeer());
    }
    h.router.publish(TOPIC, new byte[] {1});
    h.router.publish(TOPIC, new byte[] {2});
    List<PeerId> reached = peers.stream().filter(p -> !h.messagesTo(p).isEmpty()).toList();
    assertThat(reached).hasSize(6).allSatisfy(p -> assertThat(h.messagesTo(p)).hasSize(2));

    h.advance(Duration.ofSeconds(61));
    h.router.heartbeat();
    assertThat(h.router.fanout.topics()).isEmpty();
  }

  @Test
  void signsPublishedMessagesUnderStrictSign() {
    RouterHarness h = new RouterHarness();
    PeerId peer = h.subscribedPeer();
    h.router.publish(TOPIC, new byte[] {7});
    GossipsubProto.Message m = h.messagesTo(peer).get(0);
    assertThat(MessageSigning.check(SigningPolicy.STRICT_SIGN, m)).isEmpty();
    assertThat(m.getSeqno().size()).isEqualTo(8);
  }

  @Test
  void refusesToPublishOversizedData() {
    RouterHarness h = new RouterHarness(GossipConfig.builder().maxMessageSize(100).build());
    assertThatThrownBy(() -> h.router.publish(TOPIC, new byte[101]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- receiving and validation --------------------------------------------------------------

  @Test
  void deliversAMessageOnceAndCountsDuplicates() {
    RouterHarness h = new RouterHarness();
    PeerId a = h.subscribedPeer();
    PeerId b = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    GossipsubProto.Message m = h.signed(a, "hello");
    h.router.handleRpc(a, publishRpc(m));
    h.router.handleRpc(b, publishRpc(m));

    assertThat(h.delivered).singleElement().satisfies(d -> assertThat(d.source()).isEqualTo(a));
    assertThat(h.router.metrics(TOPIC).orElseThrow().duplicates()).isEqualTo(1);
    assertThat(h.router.metrics(TOPIC).orElseThrow().delivered()).isEqualTo(1);
  }

  @Test
  void forgetsSeenMessagesAfterTheSeenTtl() {
    RouterHarness h =
        new RouterHarness(GossipConfig.builder().seenTtl(Duration.ofSeconds(5)).build());
    PeerId a = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    GossipsubProto.Message m = h.signed(a, "again");
    h.router.handleRpc(a, publishRpc(m));
    for (int i = 0; i < 6; i++) {
      h.tick();
    }
    h.router.handleRpc(a, publishRpc(m));
    assertThat(h.delivered).hasSize(2);
  }

  @Test
  void neitherDeliversNorForwardsBeforeAnAsyncValidatorAccepts() {
    RouterHarness h = new RouterHarness();
    PeerId source = h.subscribedPeer();
    PeerId other = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    CompletableFuture<ValidationResult> verdict = new CompletableFuture<>();
    h.router.setValidator(TOPIC, (from, message) -> verdict);
    GossipsubProto.Message m = h.signed(source, "slow");
    h.sent.clear();
    h.router.handleRpc(source, publishRpc(m));

    assertThat(h.delivered).isEmpty();
    assertThat(h.messagesTo(other)).isEmpty();
    assertThat(h.awaiting).containsKey(idOf(m));
    assertThat(h.router.pendingValidations()).isEqualTo(1);

    h.router.validationResult(idOf(m), ValidationResult.ACCEPT);
    assertThat(h.delivered).hasSize(1);
    assertThat(h.messagesTo(other)).hasSize(1);
    assertThat(h.router.pendingValidations()).isZero();
  }

  @Test
  void rejectedMessagesPenaliseTheirSenderAndIgnoredOnesDoNot() {
    RouterHarness h = new RouterHarness();
    PeerId rejected = h.subscribedPeer();
    PeerId ignored = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    h.router.setValidator(
        TOPIC,
        MessageValidator.sync(
            m ->
                new String(m.data()).equals("bad")
                    ? ValidationResult.REJECT
                    : ValidationResult.IGNORE));
    h.router.handleRpc(rejected, publishRpc(h.signed(rejected, "bad")));
    h.router.handleRpc(ignored, publishRpc(h.signed(ignored, "meh")));

    assertThat(h.delivered).isEmpty();
    assertThat(h.router.score(rejected)).isEqualTo(-10.0);
    assertThat(h.router.score(ignored)).isZero();
    TopicMetrics metrics = h.router.metrics(TOPIC).orElseThrow();
    assertThat(metrics.invalid()).isEqualTo(1);
    assertThat(metrics.ignored()).isEqualTo(1);
  }

  @Test
  void boundsTheValidationQueue() {
    RouterHarness h = new RouterHarness(GossipConfig.builder().maxPendingValidations(2).build());
    PeerId source = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    h.router.setValidator(TOPIC, (from, message) -> new CompletableFuture<>());
    for (int i = 0; i < 3; i++) {
      h.router.handleRpc(source, publishRpc(h.signed(source, "m" + i)));
    }
    assertThat(h.awaiting).hasSize(2);
    assertThat(h.router.metrics(TOPIC).orElseThrow().ignored()).isEqualTo(1);
    assertThat(h.router.score(source)).isZero();
  }

  @Test
  void dropsMessagesForTopicsItDoesNotSubscribeTo() {
    RouterHarness h = new RouterHarness();
    PeerId source = h.subscribedPeer();
    h.router.handleRpc(source, publishRpc(h.signed(source, "nobody listens")));
    assertThat(h.delivered).isEmpty();
    assertThat(h.router.seenCacheSize()).isZero();
  }

  @Test
  void acceptsUnsignedMessagesUnderStrictNoSignAndRejectsSignedOnes() {
    RouterHarness h =
        new RouterHarness(
            GossipConfig.builder()
                .signingPolicy(SigningPolicy.STRICT_NO_SIGN)
                .messageIdFunction(MessageIdFunction.sha256OfData())
                .build());
    PeerId source = h.subscribedPeer();
    h.router.subscribe(TOPIC);
    h.router.handleRpc(
        source,
        publishRpc(
            GossipsubProto.Message.newBuilder()
                .setTopic(TOPIC)
                .setData(ByteString.copyFromUtf8("anon"))
                .build()));
    h.router.handleRpc(source, publishRpc(h.signed(source, "signed")));
    assertThat(h.delivered)
        .singleElement()
        .satisfies(d -> assertThat(d.message().from()).isEmpty());
    assertThat(h.router.metrics(TOPIC).orElseThrow().invalid()).isEqualTo(1);
  }
}
