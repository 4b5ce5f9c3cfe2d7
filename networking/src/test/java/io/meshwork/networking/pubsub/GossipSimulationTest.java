package io.meshwork.networking.pubsub;

import static io.meshwork.networking.pubsub.SimNetwork.ms;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hundred routers in virtual time over a random topology of 10 to 20 peers each. Messages are
 * unsigned with content ids here: the JDK's Ed25519 costs milliseconds per verification on a busy
 * machine, and signing has its own tests; everything else is the production path, including the RPC
 * codec on every hop.
 */
class GossipSimulationTest {
  private static final String TOPIC = "/meshwork/sim/blocks";

  private static final GossipConfig CONFIG =
      GossipConfig.builder()
          .signingPolicy(SigningPolicy.STRICT_NO_SIGN)
          .messageIdFunction(MessageIdFunction.sha256OfData())
          .build();

  @Test
  void everySubscriberOfAHundredRoutersReceivesEveryMessageAndMeshesStayInBounds() {
    SimNetwork net = new SimNetwork(42);
    for (int i = 0; i < 100; i++) {
      net.addNode(CONFIG);
    }
    net.randomTopology(10, 20);
    net.nodes.forEach(n -> n.router.subscribe(TOPIC));
    net.runFor(ms(10_000));

    Map<MessageId, SimNode> published = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      SimNode publisher = net.nodes.get(net.random.nextInt(net.nodes.size()));
      MessageId id =
          publisher.router.publish(TOPIC, ("block " + i).getBytes(StandardCharsets.UTF_8));
      published.put(id, publisher);
      net.runFor(ms(200));
      assertMeshesWithinBounds(net);
    }
    net.runFor(ms(5_000));

    for (SimNode node : net.nodes) {
      published.forEach(
          (id, publisher) ->
              assertThat(node.deliveredCount(id))
                  .as("%s delivered %s", node, id)
                  .isEqualTo(node == publisher ? 0 : 1));
    }
    assertMeshesWithinBounds(net);
  }

  private static void assertMeshesWithinBounds(SimNetwork net) {
    for (SimNode node : net.nodes) {
      assertThat(node.router.meshPeers(TOPIC).size())
          .as("mesh of %s", node)
          .isBetween(CONFIG.dLo(), CONFIG.dHi());
    }
  }
}
