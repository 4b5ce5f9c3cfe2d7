package io.meshwork.networking.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.kad.KadConfig;
import io.meshwork.networking.kad.KadDht;
import io.meshwork.networking.kad.KadPeer;
import io.meshwork.networking.kad.PublicKeyValidator;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.testsupport.Eventually;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Meshwork's Kademlia DHT against js-libp2p's (@libp2p/kad-dht 16, {@code /ipfs/kad/1.0.0}, LAN
 * server mode): one Java node J and a few js peers on 127.0.0.1, each test wiring its own topology.
 * Provider records are keyed by a sha2-256 multihash, the DHT key js derives from a CID.
 */
@Tag("interop")
class KadInteropIT {
  private static final Duration LOOKUP = Duration.ofSeconds(15);

  private Host host;
  private PrivateKey key;
  private KadDht dht;
  private final List<JsPeer> js = new ArrayList<>();

  @BeforeEach
  void startJava() throws Exception {
    key = PrivateKey.generate(KeyType.ED25519);
    host = new HostBuilder().identity(key).build();
    host.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
    KadConfig config =
        KadConfig.loopback().toBuilder()
            .requestTimeout(Duration.ofSeconds(5))
            .queryTimeout(Duration.ofSeconds(12))
            .build();
    dht = KadDht.create(host, config, KadDht.Mode.SERVER).start();
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : closeables()) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing the rest matters more than this failure.
      }
    }
    js.clear();
  }

  private List<AutoCloseable> closeables() {
    List<AutoCloseable> all = new ArrayList<>(js);
    if (dht != null) {
      all.add(dht);
    }
    if (host != null) {
      all.add(host);
    }
    return all;
  }

  private JsPeer jsPeer() {
    JsPeer peer = JsPeer.start(JsPeerOptions.dhtServer());
    js.add(peer);
    return peer;
  }

  private String javaAddress() {
    return host.listenAddresses().get(0).withP2p(host.peerId().toBytes()).toString();
  }

  private static Multiaddr listenAddress(JsPeer peer) {
    return Multiaddr.fromString(peer.addrs().get(0)).withoutP2p();
  }

  private static PeerId id(JsPeer peer) {
    return PeerId.parse(peer.peerId());
  }

  /** Java dials the js peer and waits until identify has put it in Java's routing table. */
  private void javaConnectsTo(JsPeer peer) throws Exception {
    host.dial(Multiaddr.fromString(peer.addrs().get(0))).get(10, TimeUnit.SECONDS);
    Eventually.holds(() -> assertThat(javaTable()).contains(id(peer)));
  }

  private List<PeerId> javaTable() {
    return dht.routingTable().join().stream().map(KadPeer::id).toList();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(LOOKUP.toSeconds() + 5, TimeUnit.SECONDS);
  }

  /** A sha2-256 multihash ({@code 0x12 0x20 ‖ digest}): what js puts on the wire for a CID. */
  private static byte[] multihash(String content) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
    byte[] multihash = new byte[2 + digest.length];
    multihash[0] = 0x12;
    multihash[1] = 0x20;
    System.arraycopy(digest, 0, multihash, 2, digest.length);
    return multihash;
  }

  @Test
  void javaBootstrapsFromOneJsPeerAndLearnsTheOthers() throws Exception {
    JsPeer a = jsPeer();
    JsPeer b = jsPeer();
    JsPeer c = jsPeer();
    b.dhtAddPeer(a.addrs().get(0));
    c.dhtAddPeer(a.addrs().get(0));
    List<NetworkEvent.AddressesDiscovered> discovered = new CopyOnWriteArrayList<>();
    host.subscribe(
        event -> {
          if (event instanceof NetworkEvent.AddressesDiscovered d) {
            discovered.add(d);
          }
        });

    javaConnectsTo(a);
    List<KadPeer> closest = await(dht.bootstrap());

    assertThat(closest).extracting(KadPeer::id).contains(id(a), id(b), id(c));
    assertThat(javaTable()).containsExactlyInAnyOrder(id(a), id(b), id(c));
    // A's FIND_NODE reply named B and C with their listen addresses (B or C may also have found
    // Java on their own, so the reply is what proves the lookup learned them from A)
    Eventually.holds(
        () ->
            assertThat(discovered)
                .filteredOn(d -> d.peerId().equals(id(a)) && d.source() == DiscoverySource.DHT)
                .flatExtracting(NetworkEvent.AddressesDiscovered::peers)
                .contains(
                    new PeerAddresses(id(b), List.of(listenAddress(b))),
                    new PeerAddresses(id(c), List.of(listenAddress(c)))));
    // and js took Java in: identify listed /ipfs/kad/1.0.0 and our ping answered its check
    Eventually.holds(() -> assertThat(a.dhtRoutingTable()).contains(host.peerId().toString()));
  }

  @Test
  void jsLooksUpAPeerThroughJava() throws Exception {
    JsPeer a = jsPeer();
    JsPeer b = jsPeer();
    javaConnectsTo(b);
    a.dhtAddPeer(javaAddress());
    assertThat(a.dhtRoutingTable()).containsExactly(host.peerId().toString());

    JsDhtPeer found = a.dhtFindPeer(b.peerId(), LOOKUP);

    assertThat(found.peerId()).isEqualTo(b.peerId());
    assertThat(found.from()).contains(host.peerId().toString());
    assertThat(found.addrs()).contains(listenAddress(b).toString());
  }

  @Test
  void jsBootstrapsFromJavaAndLearnsThePeersJavaKnows() throws Exception {
    JsPeer a = jsPeer();
    JsPeer b = jsPeer();
    JsPeer d = jsPeer();
    javaConnectsTo(a);
    javaConnectsTo(b);
    d.dhtAddPeer(javaAddress());

    d.dhtBootstrap(LOOKUP);

    // Java's FIND_NODE reply named A and B; js dialled and pinged each before taking it in
    Eventually.holds(
        () ->
            assertThat(d.dhtRoutingTable())
                .containsExactlyInAnyOrder(host.peerId().toString(), a.peerId(), b.peerId()));
  }

  @Test
  void javaFindsAJsPeerByIdThroughAnotherJsPeer() throws Exception {
    JsPeer a = jsPeer();
    JsPeer b = jsPeer();
    b.dhtAddPeer(a.addrs().get(0));
    javaConnectsTo(a);
    assertThat(javaTable()).doesNotContain(id(b));

    Optional<KadPeer> found = await(dht.findPeer(id(b)));

    assertThat(found).hasValueSatisfying(p -> assertThat(p.addresses()).contains(listenAddress(b)));
    // remembered, so Java can now connect to B by id alone
    assertThat(host.peerStore().addresses(id(b))).contains(listenAddress(b));
  }

  @Test
  void jsFindsJavaAsTheProviderOfAKeyJavaProvides() throws Exception {
    byte[] key = multihash("provided by Java");
    JsPeer a = jsPeer();
    a.dhtAddPeer(javaAddress());
    assertThat(await(dht.provide(key))).isEqualTo(1); // A accepted our ADD_PROVIDER

    // B knows only A and has no record of its own: its GET_PROVIDERS reaches A (and Java)
    JsPeer b = jsPeer();
    b.dhtAddPeer(a.addrs().get(0));
    List<JsDhtPeer> providers = b.dhtFindProviders(key, 1, LOOKUP);

    assertThat(providers)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.peerId()).isEqualTo(host.peerId().toString());
              assertThat(p.addrs()).contains(host.listenAddresses().get(0).toString());
            });
  }

  @Test
  void javaFindsAJsProviderThroughAnotherJsPeer() throws Exception {
    byte[] key = multihash("provided by js");
    JsPeer a = jsPeer();
    JsPeer b = jsPeer();
    b.dhtAddPeer(a.addrs().get(0));
    assertThat(b.dhtProvide(key, LOOKUP)).contains(a.peerId());

    // Java holds no record: its GET_PROVIDERS to A returns B with B's addresses
    javaConnectsTo(a);
    List<KadPeer> providers = await(dht.findProviders(key, 1));

    assertThat(providers)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo(id(b));
              assertThat(p.addresses()).contains(listenAddress(b));
            });
  }

  @Test
  void javaStoresTheProviderRecordAJsPeerAnnouncesToIt() throws Exception {
    byte[] key = multihash("announced to Java");
    JsPeer a = jsPeer();
    a.dhtAddPeer(javaAddress());

    assertThat(a.dhtProvide(key, LOOKUP)).containsExactly(host.peerId().toString());

    List<KadPeer> providers = await(dht.findProviders(key, 1));
    assertThat(providers)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo(id(a));
              assertThat(p.addresses()).contains(listenAddress(a));
            });
  }

  @Test
  void publicKeyRecordsCrossBothWays() throws Exception {
    JsPeer a = jsPeer();
    a.dhtAddPeer(javaAddress());

    // Java's /pk/ record, validated by js's pk validator
    byte[] javaPkKey = PublicKeyValidator.keyFor(host.peerId());
    assertThat(await(dht.putValue(javaPkKey, key.publicKey().marshal()))).isEqualTo(1);
    assertThat(a.dhtGet(javaPkKey, LOOKUP)).hasValue(key.publicKey().marshal());

    // js's /pk/ record (its Ed25519 key is inlined in its peer id), validated by ours
    byte[] jsPublicKey = id(a).extractPublicKey().orElseThrow().marshal();
    byte[] jsPkKey = PublicKeyValidator.keyFor(id(a));
    assertThat(a.dhtPut(jsPkKey, jsPublicKey, LOOKUP)).containsExactly(host.peerId().toString());
    assertThat(await(dht.getValue(jsPkKey))).hasValue(jsPublicKey);
  }
}
