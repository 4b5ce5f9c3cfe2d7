package io.meshwork.networking.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.ConnectionGater;
import io.meshwork.networking.core.ConnectionManager;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.NetworkEventListener;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.core.PeerStore;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamHandler;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.peers.pex.PexCodec;
import io.meshwork.networking.peers.pex.PexConfig;
import io.meshwork.networking.peers.pex.PexService;
import io.meshwork.networking.testsupport.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The eclipse scenario of issue 5 on real hosts over 127.0.0.1: an attacker that the victim
 * connected to floods it with thousands of made-up peers, all at one address group, while honest
 * peers are found the normal way.
 *
 * <p>The made-up peers all claim one address, a tarpit on 127.0.0.1 that accepts TCP connections
 * and never answers, so under {@link AddressGrouping#LOOPBACK_BY_PORT} (each ip:port one group)
 * they share one group, and every dial to them hangs until the host's negotiation timeout, the way
 * dials to an attacker's unroutable or silent network do. They reach the victim through its real
 * intake: {@link NetworkEvent.AddressesDiscovered} reported with the attacker as the source (as the
 * DHT reports closer peers), and signed peer records in the attacker's replies to the victim's
 * {@code /meshwork/pex/1.0.0} requests. The honest peers' addresses come over PEX from an honest
 * bootstrap peer, which learned their signed records through identify.
 */
class EclipseIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final int HONEST = 8;
  private static final int TARGET_OUTBOUND = 5;
  private static final int FLOOD_EVENTS = 100;
  private static final int PEERS_PER_EVENT = 50;
  private static final int PEX_REQUESTS = 2;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private Host host() throws Exception {
    Host host = new HostBuilder().build();
    closeables.add(host);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    return host;
  }

  private static Multiaddr address(Host host) {
    return host.listenAddresses().get(0);
  }

  private static AddressGroup groupOf(Multiaddr address) {
    return AddressGrouping.LOOPBACK_BY_PORT.groupOf(address);
  }

  @Test
  void aFloodFromOneAddressGroupNeitherCapturesOutboundSlotsNorPushesOutHonestPeers()
      throws Exception {
    // Honest peers, each its own group, all connected to the first (the victim's bootstrap peer).
    List<Host> honest = new ArrayList<>();
    for (int i = 0; i < HONEST; i++) {
      honest.add(host());
    }
    Host honestBootstrap = honest.get(0);
    closeables.add(PexService.start(honestBootstrap, PexConfig.defaults()));
    for (Host h : honest.subList(1, HONEST)) {
      h.dial(address(honestBootstrap).withP2p(honestBootstrap.peerId().toBytes()))
          .get(10, TimeUnit.SECONDS);
    }
    Eventually.holds(
        () ->
            assertThat(honest.subList(1, HONEST))
                .allSatisfy(
                    h ->
                        assertThat(honestBootstrap.peerStore().signedPeerRecord(h.peerId()))
                            .isPresent()));

    // The attacker: a real host serving PEX replies full of made-up peers at its tarpit.
    Tarpit tarpit = new Tarpit();
    closeables.add(tarpit);
    Multiaddr tarpitAddress = tarpit.address();
    AddressGroup attackerGroup = groupOf(tarpitAddress);
    Host attacker = host();
    Random random = new Random(7);
    attacker.setStreamHandler(
        PexService.PROTOCOL_ID, stream -> answerOnce(stream, fakeRecords(tarpitAddress)));

    // The victim: bootstraps from one honest peer and from the attacker.
    Host victimHost = host();
    DialWatchingHost victim = new DialWatchingHost(victimHost, attackerGroup);
    PexService victimPex = PexService.start(victimHost, PexConfig.defaults());
    closeables.add(victimPex);
    List<String> diversityViolations = new CopyOnWriteArrayList<>();
    victimHost.subscribe(
        event -> {
          if (event instanceof NetworkEvent.PeerConnected) {
            // Sampled at every new connection while the flood lands: no two outbound in one group.
            List<AddressGroup> groups = outboundGroups(victimHost);
            if (new HashSet<>(groups).size() != groups.size()) {
              diversityViolations.add(groups.toString());
            }
          }
        });
    PeerManagerConfig config =
        PeerManagerConfig.loopback()
            .withTargetOutbound(TARGET_OUTBOUND)
            .withIntervals(Duration.ofMillis(500), Duration.ofHours(1)); // feelers on, no rotation
    PeerManager manager =
        PeerManager.start(
            victim,
            config,
            PeerDataStore.inMemory(),
            List.of(
                address(honestBootstrap).withP2p(honestBootstrap.peerId().toBytes()),
                address(attacker).withP2p(attacker.peerId().toBytes())));
    closeables.add(manager);
    Eventually.holds(
        () -> {
          assertThat(victimHost.connection(attacker.peerId())).isPresent();
          assertThat(victimHost.connection(honestBootstrap.peerId())).isPresent();
        });

    // The flood: what a lying DHT or gossip peer reports, then the attacker's PEX replies.
    for (int e = 0; e < FLOOD_EVENTS; e++) {
      List<PeerAddresses> made = new ArrayList<>();
      for (int i = 0; i < PEERS_PER_EVENT; i++) {
        made.add(new PeerAddresses(AddressBookFixtures.randomId(random), List.of(tarpitAddress)));
      }
      victimHost.publish(
          new NetworkEvent.AddressesDiscovered(attacker.peerId(), DiscoverySource.DHT, made));
    }
    for (int i = 0; i < PEX_REQUESTS; i++) {
      assertThat(victimPex.request(attacker.peerId()).get(10, TimeUnit.SECONDS))
          .as("made-up peers the attacker's PEX reply carried")
          .isNotEmpty();
    }
    // Honest addresses arrive the normal way, over PEX from the honest bootstrap peer.
    assertThat(victimPex.request(honestBootstrap.peerId()).get(10, TimeUnit.SECONDS))
        .extracting(PeerAddresses::peerId)
        .containsAll(honest.subList(1, HONEST).stream().map(Host::peerId).toList());

    Set<PeerId> honestIds = honest.stream().map(Host::peerId).collect(Collectors.toSet());
    Eventually.holds(
        () -> {
          List<Connection> outbound = outbound(victimHost);
          assertThat(outbound).hasSizeGreaterThanOrEqualTo(TARGET_OUTBOUND);
          assertThat(outbound.stream().filter(c -> honestIds.contains(c.remotePeerId())))
              .as("honest outbound peers")
              .hasSizeGreaterThanOrEqualTo(TARGET_OUTBOUND - 1);
          assertThat(victim.dialsInto.get())
              .as("dials into the attacker's group (the flood was picked up)")
              .isPositive();
        });

    List<AddressGroup> groups = outboundGroups(victimHost);
    assertThat(groups).as("outbound groups").doesNotHaveDuplicates();
    assertThat(groups).doesNotContain(attackerGroup);
    assertThat(diversityViolations).isEmpty();
    assertThat(victim.maxConcurrentInto.get())
        .as("dials in flight into the attacker's group at once")
        .isEqualTo(1);

    List<AddressBookEntry> book = manager.addressBook();
    assertThat(book.stream().map(AddressBookEntry::peerId))
        .as("every honest peer is still in the book")
        .containsAll(honestIds);
    long attackerEntries = book.stream().filter(e -> e.group().equals(attackerGroup)).count();
    // One source group announcing one address group reaches one new bucket (addrman's
    // GetNewBucket), so the flood of thousands holds at most one bucket's slots.
    assertThat(attackerEntries)
        .as("made-up peers held")
        .isPositive()
        .isLessThanOrEqualTo(config.book().bucketSize());
    assertThat(manager.metrics().reportsDropped()).isZero();
    for (Host h : honest) {
      assertThat(book)
          .as("%s still reachable at its own address", h.peerId())
          .anyMatch(e -> e.peerId().equals(h.peerId()) && e.addresses().contains(address(h)));
    }
  }

  private static List<Connection> outbound(Host host) {
    return host.connections().stream().filter(c -> c.direction() == Direction.OUTBOUND).toList();
  }

  private static List<AddressGroup> outboundGroups(Host host) {
    return outbound(host).stream().map(c -> groupOf(c.remoteAddress())).toList();
  }

  /** A full PEX reply of freshly made-up peers, each record properly signed by its own key. */
  private static byte[] fakeRecords(Multiaddr at) {
    PexConfig pex = PexConfig.defaults();
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < pex.maxPeersPerResponse(); i++) {
      PrivateKey key = PrivateKey.generate(KeyType.ED25519);
      PeerId id = PeerId.fromPublicKey(key.publicKey());
      records.add(new PeerRecord(id, 1, List.of(at)).seal(key).marshal());
    }
    return PexCodec.encodeResponse(records, pex);
  }

  /** Answers the first request on {@code stream} with {@code reply}, then closes it. */
  private static void answerOnce(Stream stream, byte[] reply) {
    stream.read(
        new StreamReader() {
          private boolean answered;

          @Override
          public void onData(ByteBuffer data) {
            if (!answered) {
              answered = true;
              stream.write(ByteBuffer.wrap(reply)).thenCompose(v -> stream.close());
            }
          }
        });
  }

  /** Accepts TCP connections on 127.0.0.1 and never says a word: dials to it hang. */
  private static final class Tarpit implements AutoCloseable {
    private final ServerSocketChannel server = ServerSocketChannel.open();
    private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    Tarpit() throws IOException {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(server.accept());
                  }
                } catch (IOException closed) {
                  // closed at the end of the test
                }
              },
              "tarpit");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    Multiaddr address() throws IOException {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      return Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + port);
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join(5_000);
      for (SocketChannel channel : held) {
        channel.close();
      }
    }
  }

  /**
   * The victim's host as its peer manager sees it, counting the manager's dials into one group: how
   * many were made and the most in flight at once.
   */
  private static final class DialWatchingHost implements Host {
    private final Host host;
    private final AddressGroup watched;
    private final Set<CompletableFuture<Connection>> inFlight = ConcurrentHashMap.newKeySet();
    final AtomicInteger dialsInto = new AtomicInteger();
    final AtomicInteger maxConcurrentInto = new AtomicInteger();

    DialWatchingHost(Host host, AddressGroup watched) {
      this.host = host;
      this.watched = watched;
    }

    @Override
    public CompletableFuture<Connection> dial(Multiaddr address) {
      if (!groupOf(address.withoutP2p()).equals(watched)) {
        return host.dial(address);
      }
      dialsInto.incrementAndGet();
      CompletableFuture<Connection> dial = new CompletableFuture<>();
      inFlight.add(dial);
      maxConcurrentInto.accumulateAndGet(inFlight.size(), Math::max);
      host.dial(address)
          .whenComplete(
              (connection, error) -> {
                inFlight.remove(dial);
                if (error != null) {
                  dial.completeExceptionally(error);
                } else {
                  dial.complete(connection);
                }
              });
      return dial;
    }

    @Override
    public PeerId peerId() {
      return host.peerId();
    }

    @Override
    public CompletableFuture<Multiaddr> listen(Multiaddr address) {
      return host.listen(address);
    }

    @Override
    public List<Multiaddr> listenAddresses() {
      return host.listenAddresses();
    }

    @Override
    public CompletableFuture<Connection> connect(PeerId peer) {
      return host.connect(peer);
    }

    @Override
    public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocolIds) {
      return host.newStream(peer, protocolIds);
    }

    @Override
    public void setStreamHandler(String protocolId, StreamHandler handler) {
      host.setStreamHandler(protocolId, handler);
    }

    @Override
    public void removeStreamHandler(String protocolId) {
      host.removeStreamHandler(protocolId);
    }

    @Override
    public Set<String> protocols() {
      return host.protocols();
    }

    @Override
    public List<Connection> connections() {
      return host.connections();
    }

    @Override
    public Optional<Connection> connection(PeerId peer) {
      return host.connection(peer);
    }

    @Override
    public PeerStore peerStore() {
      return host.peerStore();
    }

    @Override
    public void setConnectionGater(ConnectionGater gater) {
      host.setConnectionGater(gater);
    }

    @Override
    public ConnectionManager connectionManager() {
      return host.connectionManager();
    }

    @Override
    public Subscription subscribe(NetworkEventListener listener) {
      return host.subscribe(listener);
    }

    @Override
    public void publish(NetworkEvent event) {
      host.publish(event);
    }

    @Override
    public CompletableFuture<Void> stop() {
      return host.stop();
    }
  }
}
