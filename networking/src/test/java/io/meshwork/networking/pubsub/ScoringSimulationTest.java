package io.meshwork.networking.pubsub;

import static io.meshwork.networking.pubsub.SimNetwork.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.pubsub.score.PeerScoreParams;
import io.meshwork.networking.pubsub.score.TopicScoreParams;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Peer scoring at work in small virtual-time networks. */
class ScoringSimulationTest {
  private static final String TOPIC = "/meshwork/sim/tx";

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final MessageValidator REJECT_BAD =
      MessageValidator.sync(
          m ->
              new String(m.data(), StandardCharsets.UTF_8).startsWith("bad")
                  ? ValidationResult.REJECT
                  : ValidationResult.ACCEPT);

  @Test
  void aPeerSendingInvalidMessagesFallsBelowGraylistAndIsIgnored() {
    GossipConfig config = GossipConfig.builder().build();
    SimNetwork net = new SimNetwork(1);
    SimNode target = net.addNode(config);
    SimNode attacker = net.addNode(config);
    List<SimNode> honest = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SimNode h = net.addNode(config);
      honest.add(h);
      net.connect(target, h);
    }
    net.connect(honest.get(0), honest.get(1));
    net.connect(attacker, target);
    for (SimNode n : net.nodes) {
      n.router.subscribe(TOPIC);
      n.router.setValidator(TOPIC, REJECT_BAD);
    }
    net.runFor(ms(3_000));

    for (int i = 0; i < 3; i++) {
      attacker.router.publish(TOPIC, text("bad " + i));
      net.runFor(ms(100));
    }
    assertThat(target.router.score(attacker.id))
        .isLessThan(config.scoreThresholds().graylistThreshold());
    long graylistedBefore = target.router.graylistedRpcs();

    MessageId fromAttacker = attacker.router.publish(TOPIC, text("good, but too late"));
    MessageId fromHonest = honest.get(2).router.publish(TOPIC, text("honest"));
    net.runFor(ms(2_000));

    assertThat(target.router.graylistedRpcs()).isGreaterThan(graylistedBefore);
    assertThat(target.deliveredCount(fromAttacker)).isZero();
    assertThat(target.deliveredCount(fromHonest)).isEqualTo(1);
    assertThat(target.router.meshPeers(TOPIC)).doesNotContain(attacker.id);
    // No honest node ever saw an invalid message: nothing is forwarded before it is accepted.
    honest.forEach(h -> assertThat(h.router.metrics(TOPIC).orElseThrow().invalid()).isZero());
  }

  @Test
  void aMeshPeerThatNeverDeliversIsPrunedThroughP3() {
    TopicScoreParams p3 =
        TopicScoreParams.DEFAULT.withMeshDeliveries(
            -1, 0.9, 3, 20, Duration.ofSeconds(3), Duration.ofMillis(300), -1, 0.95);
    // Only the target judges mesh deliveries: in this small star a pure publisher, or a relay
    // that is always first, would rightly see its neighbours as non-delivering too.
    GossipConfig base = GossipConfig.builder().build();
    GossipConfig wide =
        base.toBuilder()
            .meshDegree(7, 5, 12)
            .scoreParams(PeerScoreParams.builder().topics(Map.of(TOPIC, p3)).build())
            .build();
    SimNetwork net = new SimNetwork(2);
    SimNode target = net.addNode(wide);
    SimNode publisher = net.addNode(base);
    SimNode mute = net.addNode(base);
    mute.mute = true;
    List<SimNode> honest = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      SimNode h = net.addNode(base);
      honest.add(h);
      net.connect(target, h);
      net.connect(publisher, h);
    }
    net.connect(target, mute);
    net.connect(publisher, mute);
    net.nodes.forEach(n -> n.router.subscribe(TOPIC));
    net.runFor(ms(2_000));
    assertThat(target.router.meshPeers(TOPIC)).contains(mute.id);

    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(publisher.router.publish(TOPIC, text("tx " + i)));
      net.runFor(ms(200));
    }

    assertThat(target.router.meshPeers(TOPIC)).doesNotContain(mute.id);
    assertThat(target.router.score(mute.id)).isNegative();
    for (SimNode h : honest) {
      assertThat(target.router.meshPeers(TOPIC)).contains(h.id);
      assertThat(target.router.score(h.id)).isNotNegative();
    }
    ids.forEach(id -> assertThat(target.deliveredCount(id)).isEqualTo(1));
  }
}
