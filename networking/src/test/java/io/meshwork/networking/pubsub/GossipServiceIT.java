package io.meshwork.networking.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.protocol.DelimitedReader;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import io.meshwork.networking.testsupport.Eventually;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GossipServiceIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final String TOPIC = "/meshwork/it/blocks";
  private final List<Host> hosts = new ArrayList<>();
  private final List<GossipService> services = new ArrayList<>();

  @AfterEach
  void stop() {
    services.forEach(GossipService::close);
    hosts.forEach(Host::close);
  }

  private GossipService node() throws Exception {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    Host host = new HostBuilder().identity(key).build();
    hosts.add(host);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    GossipConfig config = GossipConfig.builder().heartbeatInterval(Duration.ofMillis(200)).build();
    GossipService service = new GossipService(host, key, config, 4L << 20, p -> Optional.empty());
    services.add(service);
    service.start();
    return service;
  }

  private Host rawHost() throws Exception {
    Host host = new HostBuilder().build();
    hosts.add(host);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    return host;
  }

  private static byte[] framed(RPC rpc) {
    return DelimitedReader.frame(rpc.toByteArray());
  }

  private static Multiaddr addressOf(Host host) {
    return host.listenAddresses().get(0).withP2p(host.peerId().toBytes());
  }

  @Test
  void messagesReachEverySubscriberOverLoopback() throws Exception {
    List<GossipService> nodes = new ArrayList<>();
    List<List<ReceivedMessage>> received = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      GossipService node = node();
      List<ReceivedMessage> inbox = new CopyOnWriteArrayList<>();
      node.subscribe(TOPIC, inbox::add);
      nodes.add(node);
      received.add(inbox);
    }
    // A line of hosts plus a chord: messages must be relayed, not just flooded by the publisher.
    for (int i = 0; i + 1 < hosts.size(); i++) {
      hosts.get(i).dial(addressOf(hosts.get(i + 1))).get(10, TimeUnit.SECONDS);
    }
    hosts.get(0).dial(addressOf(hosts.get(3))).get(10, TimeUnit.SECONDS);
    Eventually.holds(() -> assertThat(nodes.get(5).meshPeers(TOPIC).join()).isNotEmpty());
    Eventually.holds(() -> assertThat(nodes.get(0).meshPeers(TOPIC).join()).hasSize(2));

    byte[] payload = "block 1".getBytes(StandardCharsets.UTF_8);
    MessageId id = nodes.get(0).publish(TOPIC, payload).get(5, TimeUnit.SECONDS);
    MessageId large = nodes.get(5).publish(TOPIC, new byte[128 * 1024]).get(5, TimeUnit.SECONDS);

    for (int i = 1; i < 6; i++) {
      List<ReceivedMessage> inbox = received.get(i);
      Eventually.holds(() -> assertThat(inbox).extracting(ReceivedMessage::id).contains(id));
      ReceivedMessage first =
          inbox.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
      assertThat(first.data()).isEqualTo(payload);
      assertThat(first.author()).contains(hosts.get(0).peerId());
    }
    for (int i = 0; i < 5; i++) {
      List<ReceivedMessage> inbox = received.get(i);
      Eventually.holds(() -> assertThat(inbox).extracting(ReceivedMessage::id).contains(large));
    }
    Eventually.holds(
        () ->
            assertThat(nodes.get(3).metrics(TOPIC))
                .hasValueSatisfying(m -> assertThat(m.delivered()).isEqualTo(2)));
  }

  @Test
  void aMalformedRpcResetsOnlyThatStreamAndTheNodeKeepsServing() throws Exception {
    GossipService node = node();
    List<ReceivedMessage> inbox = new CopyOnWriteArrayList<>();
    node.subscribe(TOPIC, inbox::add);
    GossipService honest = node();
    Host attacker = rawHost();
    hosts.get(1).dial(addressOf(hosts.get(0))).get(10, TimeUnit.SECONDS);
    attacker.dial(addressOf(hosts.get(0))).get(10, TimeUnit.SECONDS);

    Stream stream =
        attacker
            .newStream(hosts.get(0).peerId(), List.of("/meshsub/1.1.0"))
            .get(10, TimeUnit.SECONDS);
    stream.read(
        new StreamReader() {
          @Override
          public void onData(ByteBuffer data) {}
        });
    stream.write(ByteBuffer.wrap(new byte[] {5, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2}));
    stream.closeFuture().get(10, TimeUnit.SECONDS);

    Eventually.holds(
        () -> assertThat(honest.topicPeers(TOPIC).join()).contains(hosts.get(0).peerId()));
    MessageId id = honest.publish(TOPIC, new byte[] {1}).get(5, TimeUnit.SECONDS);
    Eventually.holds(() -> assertThat(inbox).extracting(ReceivedMessage::id).contains(id));
  }

  @Test
  void aPeerThatStopsReadingIsDisconnectedOnceItsQueueOverflows() throws Exception {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    Host host = new HostBuilder().identity(key).build();
    hosts.add(host);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    GossipService publisher =
        new GossipService(
            host, key, GossipConfig.builder().build(), 1 << 20, p -> Optional.empty());
    services.add(publisher);
    publisher.start();
    Host sluggard = rawHost();
    // The sluggard takes the publisher's stream but never reads it, and says it wants the topic.
    // A stream nobody reads is never drained: the muxer grants the sender no more credit.
    sluggard.setStreamHandler("/meshsub/1.2.0", stream -> {});
    sluggard.dial(addressOf(host)).get(10, TimeUnit.SECONDS);
    Stream out =
        sluggard.newStream(host.peerId(), List.of("/meshsub/1.2.0")).get(10, TimeUnit.SECONDS);
    out.write(
        ByteBuffer.wrap(
            framed(
                RPC.newBuilder()
                    .addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(TOPIC))
                    .build())));
    Eventually.holds(
        () -> assertThat(publisher.topicPeers(TOPIC).join()).contains(sluggard.peerId()));

    for (int i = 0; i < 40 && publisher.slowPeerDisconnects() == 0; i++) {
      publisher.publish(TOPIC, new byte[128 * 1024]).get(5, TimeUnit.SECONDS);
    }
    Eventually.holds(() -> assertThat(publisher.slowPeerDisconnects()).isEqualTo(1));
    Eventually.holds(() -> assertThat(host.connection(sluggard.peerId())).isEmpty());
  }

  @Test
  void gossipFlowsBothWaysBetweenTwoHostsThatDialedEachOtherAtOnce() throws Exception {
    // Which of the two connections each side registers first is a race; a few rounds make the
    // interesting order (the one closed as duplicate registered first) all but certain.
    for (int round = 0; round < 4; round++) {
      GossipService a = node();
      Host hostA = hosts.get(hosts.size() - 1);
      GossipService b = node();
      Host hostB = hosts.get(hosts.size() - 1);
      List<Connection> firstSeen = new CopyOnWriteArrayList<>();
      for (Host h : List.of(hostA, hostB)) {
        h.subscribe(
            e -> {
              if (e instanceof NetworkEvent.PeerConnected c) {
                firstSeen.add(c.connection());
              }
            });
      }
      List<ReceivedMessage> inboxA = new CopyOnWriteArrayList<>();
      List<ReceivedMessage> inboxB = new CopyOnWriteArrayList<>();
      a.subscribe(TOPIC, inboxA::add);
      b.subscribe(TOPIC, inboxB::add);

      CompletableFuture<Connection> ab = hostA.dial(addressOf(hostB));
      CompletableFuture<Connection> ba = hostB.dial(addressOf(hostA));
      CompletableFuture.allOf(ab, ba).get(10, TimeUnit.SECONDS);
      Eventually.holds(() -> assertThat(firstSeen).hasSizeGreaterThanOrEqualTo(2));
      Eventually.holds(() -> assertThat(a.meshPeers(TOPIC).join()).contains(hostB.peerId()));
      Eventually.holds(() -> assertThat(b.meshPeers(TOPIC).join()).contains(hostA.peerId()));
      // The duplicate (if a side first saw it) is gone: gossip must now run on the kept one.
      awaitDuplicatesClosed(firstSeen, hostA, hostB);

      assertDeliveredBothWays(a, inboxA, hostA, b, inboxB, hostB);
    }
  }

  @Test
  void gossipMovesToTheRemainingConnectionWhenTheFirstOneCloses() throws Exception {
    GossipService a = node();
    Host hostA = hosts.get(hosts.size() - 1);
    GossipService b = node();
    Host hostB = hosts.get(hosts.size() - 1);
    List<ReceivedMessage> inboxA = new CopyOnWriteArrayList<>();
    List<ReceivedMessage> inboxB = new CopyOnWriteArrayList<>();
    a.subscribe(TOPIC, inboxA::add);
    b.subscribe(TOPIC, inboxB::add);
    // Both sides keep the connection dialed by the lower peer id: the higher one dials first, so
    // that the lower one's later dial opens the connection kept, and the first one is closed.
    boolean aIsLower = hostA.peerId().compareTo(hostB.peerId()) < 0;
    Host lower = aIsLower ? hostA : hostB;
    Host higher = aIsLower ? hostB : hostA;
    Connection first = higher.dial(addressOf(lower)).get(10, TimeUnit.SECONDS);
    Eventually.holds(() -> assertThat(lower.connection(higher.peerId())).isPresent());
    Connection firstAtLower = lower.connection(higher.peerId()).orElseThrow();
    Eventually.holds(() -> assertThat(a.meshPeers(TOPIC).join()).contains(hostB.peerId()));
    Eventually.holds(() -> assertThat(b.meshPeers(TOPIC).join()).contains(hostA.peerId()));
    assertDeliveredBothWays(a, inboxA, hostA, b, inboxB, hostB);

    // Without /p2p the dial does not reuse the open connection.
    Connection second = lower.dial(higher.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
    assertThat(second).isNotSameAs(firstAtLower);
    first.closeFuture().get(15, TimeUnit.SECONDS);
    firstAtLower.closeFuture().get(15, TimeUnit.SECONDS);
    assertThat(lower.connection(higher.peerId())).containsSame(second);
    assertThat(higher.connection(lower.peerId())).hasValueSatisfying(c -> assertThat(c.isOpen()));

    assertDeliveredBothWays(a, inboxA, hostA, b, inboxB, hostB);
    assertThat(a.meshPeers(TOPIC).join()).contains(hostB.peerId());
    assertThat(b.meshPeers(TOPIC).join()).contains(hostA.peerId());
    assertThat(a.topicPeers(TOPIC).join()).contains(hostB.peerId());
    assertThat(b.topicPeers(TOPIC).join()).contains(hostA.peerId());
  }

  /** Waits until every first-seen connection that is not the one kept for its peer has closed. */
  private static void awaitDuplicatesClosed(List<Connection> firstSeen, Host... hostsOfPair)
      throws Exception {
    for (Connection c : firstSeen) {
      PeerId remote = c.remotePeerId();
      Host local =
          List.of(hostsOfPair).stream()
              .filter(h -> !h.peerId().equals(remote))
              .findFirst()
              .orElseThrow();
      Optional<Connection> kept = local.connection(remote);
      if (kept.isEmpty() || kept.get() != c) {
        c.closeFuture().get(15, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertDeliveredBothWays(
      GossipService a,
      List<ReceivedMessage> inboxA,
      Host hostA,
      GossipService b,
      List<ReceivedMessage> inboxB,
      Host hostB)
      throws Exception {
    MessageId fromA =
        a.publish(TOPIC, "from a".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    MessageId fromB =
        b.publish(TOPIC, "from b".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    Eventually.holds(
        () ->
            assertThat(inboxB)
                .filteredOn(m -> m.id().equals(fromA))
                .singleElement()
                .satisfies(m -> assertThat(m.propagationSource()).isEqualTo(hostA.peerId())));
    Eventually.holds(
        () ->
            assertThat(inboxA)
                .filteredOn(m -> m.id().equals(fromB))
                .singleElement()
                .satisfies(m -> assertThat(m.propagationSource()).isEqualTo(hostB.peerId())));
  }
}
