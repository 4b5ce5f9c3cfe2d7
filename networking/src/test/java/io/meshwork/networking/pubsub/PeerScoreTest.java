package io.meshwork.networking.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.pubsub.score.IpSubnet;
import io.meshwork.networking.pubsub.score.PeerScore;
import io.meshwork.networking.pubsub.score.PeerScoreParams;
import io.meshwork.networking.pubsub.score.TopicScoreParams;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerScoreTest {
  private static final String T = "t";
  private long now = 0;

  private static PeerId peer() {
    return PeerId.fromPublicKey(PrivateKey.generate(KeyType.ED25519).publicKey());
  }

  private static TopicScoreParams only(double p1, double p2, double p3, double p3b, double p4) {
    return new TopicScoreParams(
        1,
        p1,
        Duration.ofSeconds(1),
        10,
        p2,
        0.5,
        5,
        p3,
        0.5,
        4,
        10,
        Duration.ofSeconds(5),
        Duration.ofMillis(10),
        p3b,
        0.5,
        p4,
        0.5);
  }

  private PeerScore score(TopicScoreParams topic) {
    return new PeerScore(
        PeerScoreParams.builder()
            .topics(Map.of(T, topic))
            .defaultTopicParams(Optional.empty())
            .decay(Duration.ofSeconds(1), 0.1)
            .build(),
        () -> now);
  }

  private void elapse(PeerScore s, int seconds) {
    for (int i = 0; i < seconds; i++) {
      now += 1_000_000_000L;
      s.refresh();
    }
  }

  @Test
  void timeInMeshGrowsPerQuantumUpToItsCapAndStopsOnPrune() {
    PeerScore s = score(only(1, 0, 0, 0, 0));
    PeerId p = peer();
    s.addPeer(p, Optional.empty());
    s.graft(p, T);
    elapse(s, 3);
    assertThat(s.score(p)).isCloseTo(3, within(1e-9));
    elapse(s, 20);
    assertThat(s.score(p)).isEqualTo(10);
    s.prune(p, T);
    assertThat(s.score(p)).isZero();
  }

  @Test
  void firstDeliveriesAreCappedAndDecay() {
    PeerScore s = score(only(0, 1, 0, 0, 0));
    PeerId p = peer();
    s.addPeer(p, Optional.empty());
    for (int i = 0; i < 8; i++) {
      s.firstDelivery(p, T);
    }
    assertThat(s.score(p)).isEqualTo(5);
    elapse(s, 1);
    assertThat(s.score(p)).isEqualTo(2.5);
    elapse(s, 5);
    assertThat(s.score(p)).isZero();
  }

  @Test
  void meshDeliveryDeficitAppliesOnlyAfterActivationAndSticksAsP3bOnPrune() {
    PeerScore s = score(only(0, 0, -1, -1, 0));
    PeerId p = peer();
    s.addPeer(p, Optional.empty());
    s.graft(p, T);
    s.nearFirstDelivery(p, T);
    elapse(s, 3);
    assertThat(s.score(p)).isZero();
    now += 3_000_000_000L;
    s.refresh(); // 6 s in mesh: active; deliveries decayed 1 -> 0.5^4 -> below decayToZero
    assertThat(s.score(p)).isEqualTo(-16);
    s.prune(p, T);
    assertThat(s.score(p)).isEqualTo(-16); // now P3b
    elapse(s, 1);
    assertThat(s.score(p)).isEqualTo(-8);
  }

  @Test
  void invalidMessagesCountSquared() {
    PeerScore s = score(only(0, 0, 0, 0, -1));
    PeerId p = peer();
    s.addPeer(p, Optional.empty());
    s.invalidMessage(p, T);
    s.invalidMessage(p, T);
    s.invalidMessage(p, T);
    assertThat(s.score(p)).isEqualTo(-9);
  }

  @Test
  void topicsWithoutParametersDoNotCount() {
    PeerScore s = score(only(0, 0, 0, 0, -1));
    PeerId p = peer();
    s.addPeer(p, Optional.empty());
    s.invalidMessage(p, "elsewhere");
    assertThat(s.score(p)).isZero();
  }

  @Test
  void behaviourPenaltyAppliesAboveItsThresholdSquaredAndDecays() {
    PeerScore s =
        new PeerScore(
            PeerScoreParams.builder()
                .behaviourPenalty(-2, 1, 0.5)
                .decay(Duration.ofSeconds(1), 0.1)
                .build(),
            () -> now);
    PeerId p = peer();
    s.addPeer(p, Optional.empty());
    s.behaviourPenalty(p, 1);
    assertThat(s.score(p)).isZero();
    s.behaviourPenalty(p, 3);
    assertThat(s.score(p)).isEqualTo(-18);
    elapse(s, 1);
    assertThat(s.score(p)).isEqualTo(-2);
  }

  @Test
  void ipColocationPenalisesCrowdedAddressesUnlessWhitelisted() throws Exception {
    InetAddress shared = InetAddress.getByName("10.1.1.1");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    PeerScore s =
        new PeerScore(
            PeerScoreParams.builder()
                .ipColocation(-1, 2, List.of(IpSubnet.parse("127.0.0.0/8")))
                .build(),
            () -> now);
    PeerId a = peer(), b = peer(), c = peer(), d = peer(), e = peer();
    s.addPeer(a, Optional.of(shared));
    s.addPeer(b, Optional.of(shared));
    assertThat(s.score(a)).isZero();
    s.addPeer(c, Optional.of(shared));
    assertThat(s.score(a)).isEqualTo(-1);
    s.removePeer(c);
    assertThat(s.score(a)).isZero();
    s.addPeer(c, Optional.of(loopback));
    s.addPeer(d, Optional.of(loopback));
    s.addPeer(e, Optional.of(loopback));
    assertThat(s.score(e)).isZero();
  }

  @Test
  void retainsANegativeScoreAcrossReconnectsUntilRetainScoreExpires() {
    PeerScore s =
        new PeerScore(
            PeerScoreParams.builder()
                .behaviourPenalty(-1, 0, 0.999)
                .retainScore(Duration.ofSeconds(10))
                .decay(Duration.ofSeconds(1), 0.1)
                .build(),
            () -> now);
    PeerId p = peer();
    s.addPeer(p, Optional.empty());
    s.behaviourPenalty(p, 3);
    s.removePeer(p);
    s.addPeer(p, Optional.empty());
    assertThat(s.score(p)).isLessThan(-8);
    s.removePeer(p);
    elapse(s, 11);
    assertThat(s.trackedPeers()).isZero();
  }

  @Test
  void addsTheApplicationScore() {
    PeerId p = peer();
    PeerScore s =
        new PeerScore(
            PeerScoreParams.builder().appSpecificScore(x -> x.equals(p) ? -3 : 0, 2).build(),
            () -> now);
    s.addPeer(p, Optional.empty());
    assertThat(s.score(p)).isEqualTo(-6);
  }

  @Test
  void parsesSubnets() throws Exception {
    assertThat(IpSubnet.parse("192.168.0.0/16").contains(InetAddress.getByName("192.168.7.1")))
        .isTrue();
    assertThat(IpSubnet.parse("192.168.0.0/17").contains(InetAddress.getByName("192.168.200.1")))
        .isFalse();
    assertThat(IpSubnet.parse("::1").contains(InetAddress.getByName("::1"))).isTrue();
  }

  @Test
  void loopbackPeersAreNotPenalisedForColocationByDefault() throws Exception {
    PeerScore s = new PeerScore(PeerScoreParams.builder().build(), () -> now);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetAddress shared = InetAddress.getByName("10.0.0.1");
    List<PeerId> local = new java.util.ArrayList<>();
    List<PeerId> crowd = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      PeerId a = peer();
      s.addPeer(a, Optional.of(loopback));
      local.add(a);
      PeerId b = peer();
      s.addPeer(b, Optional.of(shared));
      crowd.add(b);
    }
    assertThat(s.score(local.get(0))).isZero();
    // Default: weight -5, threshold 3: seven surplus peers, squared.
    assertThat(s.score(crowd.get(0))).isEqualTo(-5 * 49);
  }
}
