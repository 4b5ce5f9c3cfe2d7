package io.meshwork.networking.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.kad.pb.KadProto;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.testsupport.Eventually;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kademlia over real hosts on 127.0.0.1: one bootstrap node, everyone else starts from it. */
class KadDhtIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final int NODES = 20;
  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();
  private final List<PrivateKey> keys = new ArrayList<>();

  @AfterEach
  void stop() {
    dhts.forEach(KadDht::close);
    hosts.forEach(Host::close);
  }

  private KadDht node(KadDht.Mode mode) throws Exception {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    Host host = new HostBuilder().identity(key).build();
    hosts.add(host);
    keys.add(key);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    NamespacedValidator validator =
        NamespacedValidator.standard().with("seq", new LookupQueryTest.SequenceValidator());
    KadDht dht =
        new KadDht(host, KadConfig.loopback(), mode, validator, System::nanoTime, Clock.systemUTC())
            .start();
    dhts.add(dht);
    return dht;
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  private List<KadDht> network() throws Exception {
    List<KadDht> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(node(KadDht.Mode.SERVER));
    }
    Host bootstrap = hosts.get(0);
    Multiaddr bootstrapAddress =
        bootstrap.listenAddresses().get(0).withP2p(bootstrap.peerId().toBytes());
    for (int i = 1; i < NODES; i++) {
      await(hosts.get(i).dial(bootstrapAddress));
    }
    for (int i = 1; i < NODES; i++) {
      KadDht dht = nodes.get(i);
      Eventually.holds(() -> assertThat(dht.routingTable().join()).isNotEmpty());
    }
    Eventually.holds(() -> assertThat(nodes.get(0).routingTable().join()).hasSize(NODES - 1));
    List<CompletableFuture<List<KadPeer>>> bootstraps = new ArrayList<>();
    for (KadDht dht : nodes) {
      bootstraps.add(dht.bootstrap());
    }
    for (CompletableFuture<List<KadPeer>> done : bootstraps) {
      assertThat(await(done)).isNotEmpty();
    }
    return nodes;
  }

  @Test
  void everyNodeFindsEveryOtherNodeById() throws Exception {
    List<KadDht> nodes = network();
    for (int i = 0; i < NODES; i++) {
      List<CompletableFuture<Optional<KadPeer>>> lookups = new ArrayList<>();
      for (int j = 0; j < NODES; j++) {
        if (i != j) {
          lookups.add(nodes.get(i).findPeer(hosts.get(j).peerId()));
        }
      }
      int j = 0;
      for (CompletableFuture<Optional<KadPeer>> lookup : lookups) {
        if (j == i) {
          j++;
        }
        Host target = hosts.get(j++);
        Optional<KadPeer> found = await(lookup);
        assertThat(found).as("node %d finds %s", i, target.peerId()).isPresent();
        assertThat(found.get().addresses()).contains(target.listenAddresses().get(0));
      }
    }
    // a node that bootstrapped knows more than the bootstrap node alone
    for (KadDht dht : nodes) {
      assertThat(await(dht.routingTable()).size()).isGreaterThan(1);
    }
  }

  @Test
  void storesAndFindsRecordsAndProviders() throws Exception {
    List<KadDht> nodes = network();
    PeerId owner = hosts.get(3).peerId();
    byte[] pkKey = PublicKeyValidator.keyFor(owner);
    assertThat(await(nodes.get(3).putValue(pkKey, keys.get(3).publicKey().marshal()))).isPositive();
    Optional<byte[]> value = await(nodes.get(15).getValue(pkKey));
    assertThat(value)
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(keys.get(3).publicKey().marshal()));

    byte[] seqKey = "/seq/height".getBytes(StandardCharsets.UTF_8);
    await(nodes.get(5).putValue(seqKey, "7".getBytes(StandardCharsets.UTF_8)));
    assertThat(await(nodes.get(11).getValue(seqKey)).map(String::new)).contains("7");

    byte[] content = "some content id".getBytes(StandardCharsets.UTF_8);
    assertThat(await(nodes.get(7).provide(content))).isPositive();
    List<KadPeer> found = await(nodes.get(12).findProviders(content, 1));
    assertThat(found).extracting(KadPeer::id).containsExactly(hosts.get(7).peerId());
  }

  @Test
  void closerPeersLearnedInALookupAreReportedAsDhtDiscoveries() throws Exception {
    KadDht bootstrapNode = node(KadDht.Mode.SERVER);
    KadDht seeker = node(KadDht.Mode.SERVER);
    node(KadDht.Mode.SERVER);
    Host bootstrap = hosts.get(0);
    Host seekerHost = hosts.get(1);
    Host other = hosts.get(2);
    Multiaddr bootstrapAddress =
        bootstrap.listenAddresses().get(0).withP2p(bootstrap.peerId().toBytes());
    await(seekerHost.dial(bootstrapAddress));
    await(other.dial(bootstrapAddress));
    Eventually.holds(() -> assertThat(bootstrapNode.routingTable().join()).hasSize(2));
    List<NetworkEvent.AddressesDiscovered> discovered = new CopyOnWriteArrayList<>();
    seekerHost.subscribe(
        event -> {
          if (event instanceof NetworkEvent.AddressesDiscovered d) {
            discovered.add(d);
          }
        });

    await(seeker.bootstrap());

    // the bootstrap node's FIND_NODE reply named the other node: handed on with its address
    Eventually.holds(
        () ->
            assertThat(discovered)
                .filteredOn(d -> d.peerId().equals(bootstrap.peerId()))
                .flatExtracting(NetworkEvent.AddressesDiscovered::peers)
                .contains(new PeerAddresses(other.peerId(), other.listenAddresses())));
    assertThat(discovered).allSatisfy(d -> assertThat(d.source()).isEqualTo(DiscoverySource.DHT));
    assertThat(discovered)
        .flatExtracting(NetworkEvent.AddressesDiscovered::peers)
        .extracting(PeerAddresses::peerId)
        .doesNotContain(seekerHost.peerId());
  }

  @Test
  void clientModeNodesAskButAreNotServedToOthers() throws Exception {
    List<KadDht> nodes = network();
    KadDht client = node(KadDht.Mode.CLIENT);
    Host clientHost = hosts.get(hosts.size() - 1);
    assertThat(clientHost.protocols()).doesNotContain(KadDht.PROTOCOL_ID);
    assertThat(hosts.get(0).protocols()).contains(KadDht.PROTOCOL_ID);
    await(
        clientHost.dial(
            hosts.get(0).listenAddresses().get(0).withP2p(hosts.get(0).peerId().toBytes())));
    Eventually.holds(() -> assertThat(client.routingTable().join()).isNotEmpty());
    await(client.bootstrap());
    assertThat(await(client.findPeer(hosts.get(9).peerId()))).isPresent();
    for (KadDht dht : nodes) {
      assertThat(await(dht.routingTable()))
          .extracting(KadPeer::id)
          .doesNotContain(clientHost.peerId());
    }
  }

  @Test
  void malformedAndOversizedRequestsResetTheStreamAndTheServerKeepsServing() throws Exception {
    KadDht server = node(KadDht.Mode.SERVER);
    node(KadDht.Mode.CLIENT);
    Host serverHost = hosts.get(0);
    Host clientHost = hosts.get(1);
    await(
        clientHost.dial(
            serverHost.listenAddresses().get(0).withP2p(serverHost.peerId().toBytes())));

    byte[] garbage = {0x05, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThat(await(exchange(clientHost, serverHost.peerId(), garbage))).isEqualTo("error");
    byte[] oversized = Varint.encode(KadConfig.loopback().maxInboundMessageSize() + 1L);
    assertThat(await(exchange(clientHost, serverHost.peerId(), oversized))).isEqualTo("error");

    KadProto.Message ping =
        KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.PING).build();
    assertThat(await(exchange(clientHost, serverHost.peerId(), KadCodec.encodeDelimited(ping))))
        .isEqualTo("reply");
    assertThat(server.mode()).isEqualTo(KadDht.Mode.SERVER);
  }

  @Test
  void closingTheDhtFailsOutstandingLookupsInsteadOfLeavingThemHanging() throws Exception {
    KadDht dht = node(KadDht.Mode.SERVER);
    // a "peer" that accepts TCP connections but never speaks: the lookup waits on it
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.util.Random random = new java.util.Random(1);
      KadPeer ghost =
          new KadPeer(
              KadTestPeers.randomId(random),
              List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + silent.getLocalPort())));
      assertThat(await(dht.addPeer(ghost))).isInstanceOf(RoutingTable.Insert.Added.class);
      CompletableFuture<Optional<KadPeer>> lookup = dht.findPeer(KadTestPeers.randomId(random));
      assertThat(lookup).isNotDone();
      dht.close();
      assertThat(lookup)
          .failsWithin(java.time.Duration.ofSeconds(5))
          .withThrowableThat()
          .withMessageContaining("closed");
    }
  }

  /** Sends raw bytes on a kad stream; completes with "reply", "error" or "end". */
  private static CompletableFuture<String> exchange(Host from, PeerId to, byte[] bytes) {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    from.newStream(to, List.of(KadDht.PROTOCOL_ID))
        .thenAccept(
            stream -> {
              stream.read(
                  new StreamReader() {
                    @Override
                    public void onData(ByteBuffer data) {
                      outcome.complete("reply");
                    }

                    @Override
                    public void onEndOfStream() {
                      outcome.complete("end");
                    }

                    @Override
                    public void onError(Throwable cause) {
                      outcome.complete("error");
                    }
                  });
              stream.write(ByteBuffer.wrap(bytes));
            })
        .exceptionally(
            e -> {
              outcome.completeExceptionally(e);
              return null;
            });
    return outcome;
  }
}
