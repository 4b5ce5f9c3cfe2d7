package io.meshwork.networking.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.kad.KadConfig;
import io.meshwork.networking.kad.KadDht;
import io.meshwork.networking.kad.NamespacedValidator;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.testsupport.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Peer managers on real hosts over 127.0.0.1, each host with a DHT server feeding the book. */
class PeerManagerIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private record Node(Host host, KadDht dht, PrivateKey key) {
    Multiaddr address() {
      return host.listenAddresses().get(0).withP2p(host.peerId().toBytes());
    }
  }

  private Node node(PrivateKey key) throws Exception {
    Host host = new HostBuilder().identity(key).build();
    closeables.add(host);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    KadDht dht =
        new KadDht(
                host,
                KadConfig.loopback(),
                KadDht.Mode.SERVER,
                NamespacedValidator.standard(),
                System::nanoTime,
                Clock.systemUTC())
            .start();
    closeables.add(dht);
    return new Node(host, dht, key);
  }

  private Node node() throws Exception {
    return node(PrivateKey.generate(KeyType.ED25519));
  }

  private PeerManager manager(
      Node node, PeerManagerConfig config, PeerDataStore store, Node... bootstrap) {
    PeerManager manager =
        PeerManager.start(
            node.host(),
            config,
            store,
            java.util.Arrays.stream(bootstrap).map(Node::address).toList());
    closeables.add(manager);
    return manager;
  }

  /** A bootstrap node and {@code others} peers that joined the DHT through it. */
  private List<Node> network(int others) throws Exception {
    List<Node> nodes = new ArrayList<>();
    Node bootstrap = node();
    nodes.add(bootstrap);
    for (int i = 0; i < others; i++) {
      Node n = node();
      n.host().dial(bootstrap.address()).get(10, TimeUnit.SECONDS);
      nodes.add(n);
    }
    Eventually.holds(() -> assertThat(bootstrap.dht().routingTable().join()).hasSize(others));
    return nodes;
  }

  private static Set<PeerId> outboundPeers(Host host) {
    return host.connections().stream()
        .filter(c -> c.direction() == Direction.OUTBOUND)
        .map(Connection::remotePeerId)
        .collect(Collectors.toSet());
  }

  @Test
  void aNodeGivenOneBootstrapReachesItsOutboundTargetFromAddressesItLearned() throws Exception {
    List<Node> network = network(6);
    Node bootstrap = network.get(0);
    Node subject = node();
    PeerManager manager =
        manager(subject, PeerManagerConfig.loopback(), PeerDataStore.inMemory(), bootstrap);

    Eventually.holds(() -> assertThat(subject.dht().routingTable().join()).isNotEmpty());
    subject.dht().bootstrap().get(30, TimeUnit.SECONDS); // its replies report the other peers
    // The lookup itself connected to peers: drop those, so what follows is the manager's work.
    subject.dht().close();
    for (Connection c : subject.host().connections()) {
      if (!c.remotePeerId().equals(bootstrap.host().peerId())) {
        c.close().get(10, TimeUnit.SECONDS);
      }
    }

    Eventually.holds(
        () -> {
          assertThat(outboundPeers(subject.host())).hasSizeGreaterThanOrEqualTo(4);
          assertThat(manager.metrics().outbound()).isGreaterThanOrEqualTo(4);
        });
    assertThat(manager.addressBook()).hasSizeGreaterThanOrEqualTo(6);
    assertThat(manager.anchors()).hasSize(2);
  }

  @Test
  void aBannedPeerIsDisconnectedAndCannotReconnectUntilTheBanEnds() throws Exception {
    Node subject = node();
    Node peer = node();
    List<NetworkEvent> events = new CopyOnWriteArrayList<>();
    subject.host().subscribe(events::add);
    PeerManager manager =
        manager(subject, PeerManagerConfig.loopback(), PeerDataStore.inMemory(), peer);
    Eventually.holds(() -> assertThat(subject.host().connection(peer.host().peerId())).isPresent());

    manager.ban(peer.host().peerId(), Duration.ofSeconds(3), "misbehaved in a test");

    assertThat(manager.isBanned(peer.host().peerId())).isTrue();
    Eventually.holds(() -> assertThat(subject.host().connection(peer.host().peerId())).isEmpty());
    Eventually.holds(
        () ->
            assertThat(events)
                .anyMatch(
                    e -> e instanceof NetworkEvent.PeerBanned b && b.reason().contains("test")));
    Node subjectAddress = subject;
    CompletableFuture<Connection> redial = peer.host().dial(subjectAddress.address());
    try {
      redial.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      // refused during or right after the handshake
    }
    Eventually.holds(() -> assertThat(peer.host().connection(subject.host().peerId())).isEmpty());
    assertThat(subject.host().connection(peer.host().peerId())).isEmpty();

    Eventually.holds(
        () -> {
          assertThat(manager.isBanned(peer.host().peerId())).isFalse();
          assertThat(subject.host().connection(peer.host().peerId())).isPresent();
        });
    Eventually.holds(
        () -> {
          List<NetworkEvent> seen = List.copyOf(events);
          int banned = firstIndex(seen, NetworkEvent.PeerBanned.class, peer.host().peerId());
          int unbanned = firstIndex(seen, NetworkEvent.PeerUnbanned.class, peer.host().peerId());
          assertThat(unbanned).as("PeerUnbanned published after the ban expired").isPositive();
          assertThat(unbanned).isGreaterThan(banned);
        });
  }

  private static int firstIndex(
      List<NetworkEvent> events, Class<? extends NetworkEvent> type, PeerId peer) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i)) && events.get(i).peerId().equals(peer)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aPeerThatKeepsBreakingProtocolsIsBannedAtItsThirdOffence() throws Exception {
    Node subject = node();
    Node peer = node();
    List<NetworkEvent> events = new CopyOnWriteArrayList<>();
    subject.host().subscribe(events::add);
    PeerManager manager =
        manager(subject, PeerManagerConfig.loopback(), PeerDataStore.inMemory(), peer);
    Eventually.holds(() -> assertThat(subject.host().connection(peer.host().peerId())).isPresent());
    PeerId offender = peer.host().peerId();

    // as a service reports it after closing the offending stream
    for (int i = 1; i < PeerManager.MISBEHAVIOUR_LIMIT; i++) {
      subject.host().publish(new NetworkEvent.PeerMisbehaved(offender, "/test/1", "bad " + i));
    }
    Eventually.holds(
        () ->
            assertThat(events)
                .filteredOn(NetworkEvent.PeerMisbehaved.class::isInstance)
                .hasSize(PeerManager.MISBEHAVIOUR_LIMIT - 1));
    assertThat(manager.isBanned(offender)).as("banned before its last chance").isFalse();

    subject.host().publish(new NetworkEvent.PeerMisbehaved(offender, "/test/1", "bad again"));

    Eventually.holds(() -> assertThat(manager.isBanned(offender)).isTrue());
    Eventually.holds(() -> assertThat(subject.host().connection(offender)).isEmpty());
    assertThat(events)
        .anyMatch(
            e ->
                e instanceof NetworkEvent.PeerBanned b
                    && b.peerId().equals(offender)
                    && b.reason().equals("/test/1: bad again"));
  }

  @Test
  void aRestartedNodeReconnectsFromItsStoreWithTheBootstrapNodeGone() throws Exception {
    List<Node> network = network(6);
    Node bootstrap = network.get(0);
    PeerDataStore store = PeerDataStore.inMemory();
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    PeerManagerConfig config = PeerManagerConfig.loopback().withTargetOutbound(3);
    Node first = node(key);
    PeerManager manager = manager(first, config, store, bootstrap);
    Eventually.holds(() -> assertThat(first.dht().routingTable().join()).isNotEmpty());
    first.dht().bootstrap().get(30, TimeUnit.SECONDS);
    Eventually.holds(() -> assertThat(outboundPeers(first.host())).hasSizeGreaterThanOrEqualTo(3));
    List<PeerId> anchors = manager.anchors();
    assertThat(anchors).hasSize(2);

    manager.close();
    first.dht().close();
    first.host().close();
    bootstrap.dht().close();
    bootstrap.host().close();

    Node restarted = node(key);
    PeerManager again = manager(restarted, config, store, bootstrap);

    Eventually.holds(
        () -> {
          Set<PeerId> outbound = outboundPeers(restarted.host());
          assertThat(outbound)
              .hasSizeGreaterThanOrEqualTo(3)
              .doesNotContain(bootstrap.host().peerId());
          assertThat(outbound)
              .containsAll(
                  anchors.stream().filter(a -> !a.equals(bootstrap.host().peerId())).toList());
        });
    assertThat(again.addressBook()).hasSizeGreaterThanOrEqualTo(3);
  }
}
