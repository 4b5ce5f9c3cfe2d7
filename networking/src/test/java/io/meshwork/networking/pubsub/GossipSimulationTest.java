package io.meshwork.networking.pubsub;

import static io.meshwork.networking.pubsub.SimNetwork.ms;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
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
    for (int i = 0; i < 30; i++) {
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

  /** Runs 40 nodes, publishes {@code count} messages of {@code size} bytes, returns the network. */
  private static SimNetwork run(
      GossipConfig config, int size, int count, GossipProtocol oldProtocol, long bandwidth) {
    SimNetwork net = new SimNetwork(7);
    net.bandwidth = bandwidth;
    for (int i = 0; i < 40; i++) {
      net.addNode(config);
    }
    // Every third link speaks an older version, if asked: they must interoperate.
    for (int i = 0; i < net.nodes.size(); i++) {
      SimNode a = net.nodes.get(i);
      for (int k = 1; k <= 5; k++) {
        SimNode b = net.nodes.get((i + k * 7) % net.nodes.size());
        if (a != b && !net.connected(a, b)) {
          net.connect(a, b, (i + k) % 3 == 0 ? oldProtocol : GossipProtocol.MESHSUB_V12);
        }
      }
    }
    net.nodes.forEach(n -> n.router.subscribe(TOPIC));
    net.runFor(ms(5_000));
    net.nodes.forEach(n -> n.bytesSent = 0);
    Map<MessageId, SimNode> published = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      SimNode publisher = net.nodes.get(net.random.nextInt(net.nodes.size()));
      byte[] data = new byte[size];
      net.random.nextBytes(data);
      published.put(publisher.router.publish(TOPIC, data), publisher);
      net.runFor(ms(300));
    }
    net.runFor(ms(3_000));
    for (SimNode node : net.nodes) {
      published.forEach(
          (id, publisher) ->
              assertThat(node.deliveredCount(id)).isEqualTo(node == publisher ? 0 : 1));
    }
    return net;
  }

  private static long duplicates(SimNetwork net) {
    return net.nodes.stream()
        .mapToLong(n -> n.router.metrics(TOPIC).orElseThrow().duplicates())
        .sum();
  }

  @Test
  void idontwantCutsDuplicatesOfLargeMessages() {
    GossipConfig without = CONFIG.toBuilder().idontwant(Integer.MAX_VALUE, 1000, 3).build();
    // IDONTWANT pays when a large message takes time to transmit: 16 KiB at 1 MB/s is 16 ms.
    SimNetwork plain = run(without, 16 * 1024, 12, GossipProtocol.MESHSUB_V12, 1_000_000);
    SimNetwork withIdontwant = run(CONFIG, 16 * 1024, 12, GossipProtocol.MESHSUB_V12, 1_000_000);

    assertThat(duplicates(withIdontwant)).isLessThan(duplicates(plain));
    long bytesPlain = plain.nodes.stream().mapToLong(n -> n.bytesSent).sum();
    long bytesIdontwant = withIdontwant.nodes.stream().mapToLong(n -> n.bytesSent).sum();
    System.out.printf(
        "IDONTWANT sim: duplicates %d -> %d, bytes %d -> %d%n",
        duplicates(plain), duplicates(withIdontwant), bytesPlain, bytesIdontwant);
    assertThat(bytesIdontwant).isLessThan(bytesPlain);
  }

  @Test
  void meshsub10And11PeersInteroperateWithMeshsub12() {
    run(CONFIG, 2048, 5, GossipProtocol.MESHSUB_V10, 0);
    run(CONFIG, 2048, 5, GossipProtocol.MESHSUB_V11, 0);
  }

  @Test
  void deliveryContinuesWhenAQuarterOfTheNodesLeave() {
    SimNetwork net = new SimNetwork(11);
    for (int i = 0; i < 40; i++) {
      net.addNode(CONFIG);
    }
    net.randomTopology(10, 20);
    net.nodes.forEach(n -> n.router.subscribe(TOPIC));
    net.runFor(ms(5_000));
    List<SimNode> leaving = net.nodes.subList(30, 40);
    for (SimNode gone : leaving) {
      gone.stopped = true;
      for (SimNode n : net.nodes) {
        n.router.removePeer(gone.id);
      }
    }
    net.runFor(ms(3_000));
    MessageId id = net.nodes.get(0).router.publish(TOPIC, new byte[] {1, 2, 3});
    net.runFor(ms(3_000));
    for (SimNode n : net.nodes.subList(1, 30)) {
      assertThat(n.deliveredCount(id)).as("%s", n).isEqualTo(1);
    }
  }

  private static void assertMeshesWithinBounds(SimNetwork net) {
    for (SimNode node : net.nodes) {
      assertThat(node.router.meshPeers(TOPIC).size())
          .as("mesh of %s", node)
          .isBetween(CONFIG.dLo(), CONFIG.dHi());
    }
  }
}
