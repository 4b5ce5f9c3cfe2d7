package io.meshwork.networking.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.kad.pb.KadProto;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.Varint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class KadCodecTest {
  private final KadConfig config = KadConfig.defaults();
  private final Random random = new Random(9);

  @Test
  void encodesAFindNodeRequestAsTheSpecLaysItOut() {
    KadProto.Message request = KadCodec.request(LookupQuery.Kind.FIND_NODE, new byte[] {1, 2});
    // uvarint(6) ‖ type=FIND_NODE (field 1, varint 4) ‖ key (field 2, 2 bytes)
    assertThat(HexFormat.of().formatHex(KadCodec.encodeDelimited(request)))
        .isEqualTo("06" + "0804" + "12020102");
  }

  @Test
  void rejectsOversizedMessagesBeforeParsing() {
    byte[] body = new byte[config.maxInboundMessageSize() + 1];
    assertThatThrownBy(() -> KadCodec.decode(body, config.maxInboundMessageSize()))
        .isInstanceOf(KadProtocolException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void rejectsBytesThatAreNotAMessage() {
    byte[] garbage = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> KadCodec.decode(garbage, 1024))
        .isInstanceOf(KadProtocolException.class)
        .hasMessageContaining("not a valid protobuf");
  }

  @Test
  void rejectsUnknownMessageTypesAndOverlongKeys() {
    byte[] unknownType = {0x08, 0x2a}; // type = 42
    assertThatThrownBy(() -> KadCodec.decode(unknownType, 1024))
        .isInstanceOf(KadProtocolException.class)
        .hasMessageContaining("unknown kad message type 42");
    byte[] longKey =
        KadCodec.request(LookupQuery.Kind.GET_VALUE, new byte[KadCodec.MAX_KEY_LENGTH + 1])
            .toByteArray();
    assertThatThrownBy(() -> KadCodec.decode(longKey, 4096))
        .isInstanceOf(KadProtocolException.class)
        .hasMessageContaining("kad key of");
  }

  @Test
  void skipsMalformedPeerEntriesAndBoundsTheRest() {
    KadPeer good = KadTestPeers.randomPeer(random);
    KadProto.Message.Peer badId =
        KadProto.Message.Peer.newBuilder().setId(ByteString.copyFromUtf8("not a peer id")).build();
    KadProto.Message.Peer badAddress =
        KadCodec.toWire(good, 8).toBuilder()
            .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff}))
            .build();
    List<KadProto.Message.Peer> wire = new ArrayList<>(List.of(badId, badAddress, badAddress));
    for (int i = 0; i < 50; i++) {
      wire.add(KadCodec.toWire(KadTestPeers.randomPeer(random), 8));
    }
    List<KadPeer> peers = KadCodec.peers(wire, config.k(), config);
    assertThat(peers).hasSize(config.k());
    assertThat(peers.get(0)).isEqualTo(good); // bad address dropped, duplicate merged
  }

  @Test
  void stripsP2pSuffixesAndCapsAddressesPerPeer() {
    KadPeer peer = KadTestPeers.randomPeer(random);
    KadProto.Message.Peer.Builder entry =
        KadProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(peer.id().toBytes()));
    for (int i = 0; i < 30; i++) {
      Multiaddr address = Multiaddr.fromString("/ip4/10.0.0." + i + "/tcp/1");
      entry.addAddrs(ByteString.copyFrom(address.withP2p(peer.id().toBytes()).toBytes()));
    }
    KadPeer read = KadCodec.peers(List.of(entry.build()), 1, config).get(0);
    assertThat(read.addresses()).hasSize(config.maxAddressesPerPeer());
    assertThat(read.addresses().get(0)).isEqualTo(Multiaddr.fromString("/ip4/10.0.0.0/tcp/1"));
  }

  @Test
  void trimsRepliesToTheReplyLimit() {
    KadProto.Message.Builder reply =
        KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.FIND_NODE);
    for (int i = 0; i < 200; i++) {
      KadPeer peer = KadTestPeers.randomPeer(random);
      List<Multiaddr> many = new ArrayList<>();
      for (int j = 0; j < 8; j++) {
        many.add(Multiaddr.fromString("/dns4/a-rather-long-host-name-" + j + ".example/tcp/4001"));
      }
      reply.addCloserPeers(KadCodec.toWire(peer.withAddresses(many), 8));
    }
    KadProto.Message fitted = KadCodec.fit(reply.build(), 16 * 1024);
    assertThat(KadCodec.delimitedSize(fitted)).isLessThanOrEqualTo(16 * 1024);
    assertThat(fitted.getCloserPeersCount()).isPositive();
    assertThat(fitted.getCloserPeers(0)).isEqualTo(reply.getCloserPeers(0)); // closest kept
  }

  @Test
  void rejectsRepliesOfTheWrongTypeOrForAnotherKey() {
    byte[] key = "/pk/x".getBytes();
    KadProto.Message wrongType = KadCodec.request(LookupQuery.Kind.FIND_NODE, key);
    assertThatThrownBy(
            () -> KadCodec.lookupResponse(wrongType, LookupQuery.Kind.GET_VALUE, key, config))
        .isInstanceOf(KadProtocolException.class);
    KadProto.Message otherRecord =
        KadCodec.request(LookupQuery.Kind.GET_VALUE, key).toBuilder()
            .setRecord(
                KadProto.Record.newBuilder()
                    .setKey(ByteString.copyFromUtf8("/pk/y"))
                    .setValue(ByteString.copyFromUtf8("v")))
            .build();
    assertThatThrownBy(
            () -> KadCodec.lookupResponse(otherRecord, LookupQuery.Kind.GET_VALUE, key, config))
        .isInstanceOf(KadProtocolException.class)
        .hasMessageContaining("another key");
  }

  @Property(tries = 200)
  void decodesWhatItEncodes(
      @ForAll @Size(max = 64) byte[] key,
      @ForAll @IntRange(min = 0, max = 5) int type,
      @ForAll @IntRange(min = 0, max = 25) int peers,
      @ForAll long seed) {
    Random r = new Random(seed);
    KadProto.Message.Builder builder =
        KadProto.Message.newBuilder().setTypeValue(type).setKey(ByteString.copyFrom(key));
    for (int i = 0; i < peers; i++) {
      builder.addCloserPeers(KadCodec.toWire(KadTestPeers.randomPeer(r), 8));
    }
    KadProto.Message message = builder.build();
    byte[] wire = KadCodec.encodeDelimited(message);
    Varint.Decoded length = Varint.decode(wire, 0);
    assertThat(length.value()).isEqualTo(wire.length - length.length());
    KadProto.Message decoded =
        KadCodec.decode(Arrays.copyOfRange(wire, length.length(), wire.length), 1 << 16);
    assertThat(decoded).isEqualTo(message);
    assertThat(KadCodec.peers(decoded.getCloserPeersList(), 100, config)).hasSize(peers);
  }

  @Property(tries = 300)
  void neverThrowsAnythingButKadProtocolExceptionOnRandomBytes(
      @ForAll @Size(max = 300) byte[] junk) {
    try {
      KadProto.Message message = KadCodec.decode(junk, 256);
      KadCodec.peers(message.getCloserPeersList(), 20, config);
    } catch (KadProtocolException expected) {
      assertThat(expected).hasMessageContaining("kad");
    }
  }
}
