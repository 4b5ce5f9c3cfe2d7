package io.meshwork.networking.peers.pex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.crypto.SignedEnvelope;
import io.meshwork.networking.crypto.pb.RecordProto;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.peers.pex.pb.PexProto.PexResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PexCodecTest {
  private static final PexConfig CONFIG = PexConfig.defaults();
  private static final PeerId SELF = PeerId.fromPublicKey(key().publicKey());
  private static final PeerId RESPONDER = PeerId.fromPublicKey(key().publicKey());

  static PrivateKey key() {
    return PrivateKey.generate(KeyType.ED25519);
  }

  static Multiaddr tcp(int port) {
    return Multiaddr.fromString("/ip4/10.0.0.1/tcp/" + port);
  }

  static byte[] record(PrivateKey key, long seq, List<Multiaddr> addresses) {
    return new PeerRecord(PeerId.fromPublicKey(key.publicKey()), seq, addresses)
        .seal(key)
        .marshal();
  }

  /** The body of a framed message: what the stream reader hands on. */
  static byte[] body(byte[] framed) {
    Varint.Decoded length = Varint.decode(framed, 0);
    assertThat(framed.length - length.length()).isEqualTo(length.value());
    return Arrays.copyOfRange(framed, length.length(), framed.length);
  }

  static byte[] response(List<byte[]> records) {
    PexResponse.Builder response = PexResponse.newBuilder();
    records.forEach(r -> response.addSignedPeerRecords(ByteString.copyFrom(r)));
    return response.build().toByteArray();
  }

  static List<PeerAddresses> decode(byte[] body) {
    return PexCodec.decodeResponse(body, CONFIG.maxPeersPerResponse(), RESPONDER, SELF, CONFIG);
  }

  @Test
  void roundTripsVerifiedPeerRecords() {
    List<PrivateKey> keys = List.of(key(), key(), PrivateKey.generate(KeyType.SECP256K1));
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      records.add(record(keys.get(i), 1, List.of(tcp(4000 + i))));
    }

    List<PeerAddresses> peers = decode(body(PexCodec.encodeResponse(records, CONFIG)));

    assertThat(peers)
        .containsExactly(
            new PeerAddresses(PeerId.fromPublicKey(keys.get(0).publicKey()), List.of(tcp(4000))),
            new PeerAddresses(PeerId.fromPublicKey(keys.get(1).publicKey()), List.of(tcp(4001))),
            new PeerAddresses(PeerId.fromPublicKey(keys.get(2).publicKey()), List.of(tcp(4002))));
  }

  @Test
  void requestCarriesTheWantedCountCappedByTheLimit() {
    assertThat(PexCodec.decodeRequest(body(PexCodec.encodeRequest(10)), 32)).isEqualTo(10);
    assertThat(PexCodec.decodeRequest(body(PexCodec.encodeRequest(100)), 32)).isEqualTo(32);
    assertThat(PexCodec.decodeRequest(body(PexCodec.encodeRequest(0)), 32)).isEqualTo(32);
  }

  @Test
  void rejectsGarbageAndOversizedRequests() {
    assertThatThrownBy(() -> PexCodec.decodeRequest(new byte[] {0x08, (byte) 0xff}, 32))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("not a valid protobuf");
    assertThatThrownBy(() -> PexCodec.decodeRequest(new byte[PexCodec.MAX_REQUEST_SIZE + 1], 32))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void rejectsATruncatedResponse() {
    byte[] whole =
        body(PexCodec.encodeResponse(List.of(record(key(), 1, List.of(tcp(1)))), CONFIG));
    byte[] truncated = Arrays.copyOf(whole, whole.length - 10);
    assertThatThrownBy(() -> decode(truncated))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("not a valid protobuf");
  }

  @Test
  void rejectsAnOversizedResponse() {
    assertThatThrownBy(() -> decode(new byte[CONFIG.maxMessageSize() + 1]))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("exceeds the limit of " + CONFIG.maxMessageSize());
  }

  @Test
  void rejectsMoreRecordsThanWereAskedFor() {
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      records.add(record(key(), 1, List.of(tcp(i + 1))));
    }
    byte[] body = response(records);
    assertThatThrownBy(() -> PexCodec.decodeResponse(body, 2, RESPONDER, SELF, CONFIG))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("carries 3 records; at most 2");
  }

  @Test
  void rejectsARecordWithABadSignature() {
    RecordProto.Envelope.Builder envelope;
    try {
      envelope = RecordProto.Envelope.parseFrom(record(key(), 1, List.of(tcp(1)))).toBuilder();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    byte[] signature = envelope.getSignature().toByteArray();
    signature[0] ^= 1;
    envelope.setSignature(ByteString.copyFrom(signature));
    byte[] body = response(List.of(envelope.build().toByteArray()));
    assertThatThrownBy(() -> decode(body))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void rejectsARecordWhosePeerIdIsNotTheSigners() {
    PrivateKey signer = key();
    PeerId someoneElse = PeerId.fromPublicKey(key().publicKey());
    byte[] payload =
        RecordProto.PeerRecord.newBuilder()
            .setPeerId(ByteString.copyFrom(someoneElse.toBytes()))
            .setSeq(1)
            .addAddresses(
                RecordProto.PeerRecord.AddressInfo.newBuilder()
                    .setMultiaddr(ByteString.copyFrom(tcp(1).toBytes())))
            .build()
            .toByteArray();
    byte[] forged =
        SignedEnvelope.seal(signer, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, payload).marshal();
    assertThatThrownBy(() -> decode(response(List.of(forged))))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("signed by another peer's key");
  }

  @Test
  void rejectsAnEnvelopeSignedForAnotherDomain() {
    PrivateKey signer = key();
    byte[] payload =
        RecordProto.PeerRecord.newBuilder()
            .setPeerId(ByteString.copyFrom(PeerId.fromPublicKey(signer.publicKey()).toBytes()))
            .build()
            .toByteArray();
    byte[] otherDomain =
        SignedEnvelope.seal(signer, "libp2p-routing-state", PeerRecord.PAYLOAD_TYPE, payload)
            .marshal();
    assertThatThrownBy(() -> decode(response(List.of(otherDomain))))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("invalid signed peer record");
  }

  @Test
  void rejectsAnOversizedRecord() {
    List<Multiaddr> many = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      many.add(tcp(1000 + i));
    }
    byte[] big = record(key(), 1, many);
    assertThat(big.length).isGreaterThan(CONFIG.maxRecordSize());
    assertThatThrownBy(() -> decode(response(List.of(big))))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("signed peer record of " + big.length + " bytes");
  }

  @Test
  void rejectsGarbageBytes() {
    byte[] garbage = {0x12, (byte) 0xff, (byte) 0xff, 0x01, 0x02, 0x03};
    assertThatThrownBy(() -> decode(garbage)).isInstanceOf(PexProtocolException.class);
    byte[] notAnEnvelope = response(List.of(new byte[] {0x0a, 0x05, 0x01}));
    assertThatThrownBy(() -> decode(notAnEnvelope))
        .isInstanceOf(PexProtocolException.class)
        .hasMessageContaining("invalid signed peer record");
  }

  @Property(tries = 300)
  void anyBytesDecodeOrFailWithATypedException(@ForAll @Size(max = 600) byte[] bytes) {
    try {
      assertThat(decode(bytes)).isNotNull();
    } catch (PexProtocolException | PexRejectedException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Test
  void dropsOurOwnAndTheRespondersRecordsAndKeepsTheNewestOfDuplicates() {
    PrivateKey self = key();
    PrivateKey responder = key();
    PrivateKey other = key();
    byte[] body =
        response(
            List.of(
                record(self, 1, List.of(tcp(1))),
                record(responder, 1, List.of(tcp(2))),
                record(other, 7, List.of(tcp(7))),
                record(other, 9, List.of(tcp(9))),
                record(other, 8, List.of(tcp(8)))));

    List<PeerAddresses> peers =
        PexCodec.decodeResponse(
            body,
            32,
            PeerId.fromPublicKey(responder.publicKey()),
            PeerId.fromPublicKey(self.publicKey()),
            CONFIG);

    assertThat(peers)
        .containsExactly(
            new PeerAddresses(PeerId.fromPublicKey(other.publicKey()), List.of(tcp(9))));
  }

  @Test
  void keepsAtMostTheAddressLimitWithoutP2pAndDropsRecordsWithoutAddresses() {
    PrivateKey many = key();
    PrivateKey none = key();
    PeerId manyId = PeerId.fromPublicKey(many.publicKey());
    List<Multiaddr> addresses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      addresses.add(tcp(2000 + i).withP2p(manyId.toBytes()));
    }
    List<PeerAddresses> peers =
        decode(response(List.of(record(many, 1, addresses), record(none, 1, List.of()))));

    assertThat(peers).hasSize(1);
    assertThat(peers.get(0).peerId()).isEqualTo(manyId);
    assertThat(peers.get(0).addresses())
        .hasSize(CONFIG.maxAddressesPerRecord())
        .startsWith(tcp(2000))
        .allSatisfy(a -> assertThat(a.toString()).doesNotContain("/p2p"));
  }

  @Test
  void aRefusalFailsWithItsStatusAndRetryTime() {
    byte[] refusal =
        body(PexCodec.encodeRefusal(PexResponse.Status.RATE_LIMITED, Duration.ofMillis(12_300)));
    assertThatThrownBy(() -> decode(refusal))
        .isInstanceOfSatisfying(
            PexRejectedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(PexResponse.Status.RATE_LIMITED);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(13));
            });
  }

  @Test
  void encodingDropsRecordsUntilTheResponseFitsTheSizeLimit() {
    PexConfig small =
        new PexConfig(
            32, 1000, 4096, 16, Duration.ofSeconds(30), 3, 8, 100, Duration.ofSeconds(5), 4);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(record(key(), 1, List.of(tcp(i + 1))));
    }
    byte[] body = body(PexCodec.encodeResponse(records, small));

    assertThat(body.length).isLessThanOrEqualTo(1000);
    List<PeerAddresses> peers = PexCodec.decodeResponse(body, 32, RESPONDER, SELF, small);
    assertThat(peers).hasSizeBetween(1, 19);
  }

  @Test
  void encodingSkipsRecordsLargerThanTheRecordLimitAndStopsAtThePeerLimit() {
    List<Multiaddr> many = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      many.add(tcp(1000 + i));
    }
    List<byte[]> records = new ArrayList<>();
    records.add(record(key(), 1, many));
    for (int i = 0; i < 40; i++) {
      records.add(record(key(), 1, List.of(tcp(i + 1))));
    }
    List<PeerAddresses> peers = decode(body(PexCodec.encodeResponse(records, CONFIG)));
    assertThat(peers).hasSize(CONFIG.maxPeersPerResponse());
    assertThat(peers.get(0).addresses()).containsExactly(tcp(1));
  }
}
