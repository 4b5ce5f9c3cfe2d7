package io.meshwork.networking.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.kad.pb.KadProto;
import io.meshwork.networking.multiformats.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KadServerTest {
  private final Random random = new Random(21);
  private final KadConfig config = KadConfig.defaults();
  private final KadPeer self = KadTestPeers.randomPeer(random);
  private final RoutingTable table = new RoutingTable(self.id(), config, 0);
  private final RecordStore records =
      new RecordStore(LookupQueryTest.SequenceValidator.namespaced(), config);
  private final ProviderStore providers = new ProviderStore(config);
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private final KadServer server =
      new KadServer(table, records, providers, self::addresses, config, clock);
  private final PeerId sender = KadTestPeers.randomId(random);

  @Test
  void answersFindNodeWithTheKClosestPeersExceptTheRequester() {
    List<KadPeer> known = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      KadPeer peer = KadTestPeers.randomPeer(random);
      if (table.offer(peer) instanceof RoutingTable.Insert.Added) {
        known.add(peer);
      }
    }
    PeerId requester = known.get(0).id();
    byte[] key = requester.toBytes(); // looking for itself: it must not be told about itself
    KadProto.Message reply =
        server
            .handle(requester, KadCodec.request(LookupQuery.Kind.FIND_NODE, key), 0)
            .orElseThrow();
    List<KadPeer> closer = KadCodec.peers(reply.getCloserPeersList(), 100, config);
    assertThat(closer).hasSize(config.k()).noneMatch(p -> p.id().equals(requester));
    assertThat(closer)
        .containsExactlyElementsOf(
            table.closest(KadKey.of(key), config.k() + 1).stream()
                .filter(p -> !p.id().equals(requester))
                .toList());
  }

  @Test
  void includesItselfWhenAskedForItsOwnId() {
    KadProto.Message reply =
        server
            .handle(sender, KadCodec.request(LookupQuery.Kind.FIND_NODE, self.id().toBytes()), 0)
            .orElseThrow();
    assertThat(KadCodec.peers(reply.getCloserPeersList(), 20, config)).containsExactly(self);
  }

  @Test
  void storesValidRecordsAndServesTheBest() {
    byte[] key = "/seq/a".getBytes(StandardCharsets.UTF_8);
    put(key, "3");
    put(key, "2"); // worse: kept out
    KadProto.Message reply =
        server.handle(sender, KadCodec.request(LookupQuery.Kind.GET_VALUE, key), 5).orElseThrow();
    assertThat(reply.getRecord().getValue().toStringUtf8()).isEqualTo("3");
    assertThat(reply.getRecord().getTimeReceived()).isEqualTo("2026-01-02T03:04:05Z");
  }

  @Test
  void refusesInvalidRecordsAndUnknownNamespaces() {
    assertThatThrownBy(() -> put("/seq/a".getBytes(StandardCharsets.UTF_8), "three"))
        .isInstanceOf(KadProtocolException.class)
        .hasMessageContaining("invalid record");
    assertThatThrownBy(() -> put("/nope/a".getBytes(StandardCharsets.UTF_8), "1"))
        .isInstanceOf(KadProtocolException.class)
        .hasMessageContaining("no validator for namespace 'nope'");
    KadProto.Message withoutRecord =
        KadProto.Message.newBuilder()
            .setType(KadProto.Message.MessageType.PUT_VALUE)
            .setKey(ByteString.copyFromUtf8("/seq/a"))
            .build();
    assertThatThrownBy(() -> server.handle(sender, withoutRecord, 0))
        .isInstanceOf(KadProtocolException.class);
    assertThat(records.size()).isZero();
  }

  @Test
  void storesPublicKeyRecordsThatMatchTheirPeerId() {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    PeerId owner = PeerId.fromPublicKey(key.publicKey());
    NamespacedValidator validator = NamespacedValidator.standard();
    validator.validate(PublicKeyValidator.keyFor(owner), key.publicKey().marshal());
    PrivateKey other = PrivateKey.generate(KeyType.ED25519);
    assertThatThrownBy(
            () -> validator.validate(PublicKeyValidator.keyFor(owner), other.publicKey().marshal()))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void recordsOnlyTheSenderAsProvider() {
    byte[] key = {1, 2, 3};
    KadPeer honest =
        KadTestPeers.randomPeer(random)
            .withAddresses(List.of(Multiaddr.fromString("/ip4/1.2.3.4/tcp/1")));
    KadPeer senderPeer = KadTestPeers.peerAt(sender, "5.6.7.8");
    KadProto.Message add =
        KadProto.Message.newBuilder()
            .setType(KadProto.Message.MessageType.ADD_PROVIDER)
            .setKey(ByteString.copyFrom(key))
            .addProviderPeers(KadCodec.toWire(honest, 8)) // someone else: ignored
            .addProviderPeers(KadCodec.toWire(senderPeer, 8))
            .build();
    assertThat(server.handle(sender, add, 0)).isEmpty();
    KadProto.Message reply =
        server
            .handle(sender, KadCodec.request(LookupQuery.Kind.GET_PROVIDERS, key), 1)
            .orElseThrow();
    assertThat(KadCodec.peers(reply.getProviderPeersList(), 20, config))
        .containsExactly(senderPeer);
  }

  @Test
  void answersPingWithPing() {
    KadProto.Message ping =
        KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.PING).build();
    assertThat(server.handle(sender, ping, 0).orElseThrow().getType())
        .isEqualTo(KadProto.Message.MessageType.PING);
  }

  @Test
  void keepsRepliesWithinSixteenKibEvenWithManyAddresses() {
    KadConfig generous =
        KadConfig.builder()
            .maxAddressesPerPeer(64)
            .maxPeersPerGroupPerBucket(0)
            .maxPeersPerGroupPerTable(0)
            .build();
    RoutingTable big = new RoutingTable(self.id(), generous, 0);
    for (int i = 0; i < 200; i++) {
      List<Multiaddr> addresses = new ArrayList<>();
      for (int j = 0; j < 64; j++) {
        addresses.add(Multiaddr.fromString("/dns4/host-" + j + ".example.org/tcp/4001"));
      }
      big.offer(KadTestPeers.randomPeer(random).withAddresses(addresses));
    }
    KadServer bigServer = new KadServer(big, records, providers, self::addresses, generous, clock);
    KadProto.Message reply =
        bigServer
            .handle(sender, KadCodec.request(LookupQuery.Kind.FIND_NODE, new byte[] {1}), 0)
            .orElseThrow();
    assertThat(KadCodec.encodeDelimited(reply).length).isLessThanOrEqualTo(16 * 1024);
    assertThat(reply.getCloserPeersCount()).isBetween(1, 19);
  }

  private void put(byte[] key, String value) {
    KadProto.Message request =
        KadProto.Message.newBuilder()
            .setType(KadProto.Message.MessageType.PUT_VALUE)
            .setKey(ByteString.copyFrom(key))
            .setRecord(
                KadProto.Record.newBuilder()
                    .setKey(ByteString.copyFrom(key))
                    .setValue(ByteString.copyFromUtf8(value)))
            .build();
    assertThat(server.handle(sender, request, 0)).contains(request);
  }
}
