package io.meshwork.networking.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.pb.RecordProto;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerRecordTest {
  private static final List<Multiaddr> ADDRESSES =
      List.of(
          Multiaddr.fromString("/ip4/192.0.2.1/tcp/4001"),
          Multiaddr.fromString("/ip6/2001:db8::1/udp/4001/quic-v1"));

  @Test
  void roundTripsThroughASignedEnvelope() {
    for (KeyType type : new KeyType[] {KeyType.ED25519, KeyType.SECP256K1}) {
      PrivateKey key = PrivateKey.generate(type);
      PeerRecord record = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), -1L, ADDRESSES);
      SignedEnvelope envelope = record.seal(key);
      assertThat(envelope.domain()).isEqualTo("libp2p-peer-record");
      assertThat(envelope.payloadType()).containsExactly(0x03, 0x01);
      assertThat(PeerRecord.open(envelope.marshal())).isEqualTo(record);
    }
  }

  @Test
  void refusesToSealWithAnotherPeersKey() {
    PrivateKey alice = PrivateKey.generate(KeyType.ED25519);
    PrivateKey mallory = PrivateKey.generate(KeyType.ED25519);
    PeerRecord record = new PeerRecord(PeerId.fromPublicKey(alice.publicKey()), 1, ADDRESSES);
    assertThatThrownBy(() -> record.seal(mallory)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsRecordSignedByAnotherPeer() {
    PrivateKey alice = PrivateKey.generate(KeyType.ED25519);
    PrivateKey mallory = PrivateKey.generate(KeyType.ED25519);
    byte[] payload = payload(PeerId.fromPublicKey(alice.publicKey()), 7);
    byte[] forged =
        SignedEnvelope.seal(mallory, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, payload).marshal();
    assertThatThrownBy(() -> PeerRecord.open(forged))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("another peer");
  }

  @Test
  void rejectsWrongDomainOrPayloadType() {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    byte[] payload = payload(PeerId.fromPublicKey(key.publicKey()), 1);
    SignedEnvelope otherDomain =
        SignedEnvelope.open(
            SignedEnvelope.seal(key, "other", PeerRecord.PAYLOAD_TYPE, payload).marshal(), "other");
    assertThatThrownBy(() -> PeerRecord.fromEnvelope(otherDomain))
        .isInstanceOf(EnvelopeException.class);
    SignedEnvelope otherType = SignedEnvelope.seal(key, PeerRecord.DOMAIN, new byte[] {1}, payload);
    assertThatThrownBy(() -> PeerRecord.fromEnvelope(otherType))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("not a peer record");
  }

  @Test
  void rejectsMalformedPayload() {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    SignedEnvelope garbage =
        SignedEnvelope.seal(
            key, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, new byte[] {0x0a, 0x05});
    assertThatThrownBy(() -> PeerRecord.fromEnvelope(garbage))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void skipsAddressesItCannotDecode() {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    PeerId id = PeerId.fromPublicKey(key.publicKey());
    byte[] payload =
        RecordProto.PeerRecord.newBuilder()
            .setPeerId(ByteString.copyFrom(id.toBytes()))
            .setSeq(3)
            .addAddresses(info(ADDRESSES.get(0).toBytes()))
            .addAddresses(info(new byte[] {(byte) 0x90, 0x03, 0x01, 0x2f})) // /unix: unknown to us
            .build()
            .toByteArray();
    SignedEnvelope envelope =
        SignedEnvelope.seal(key, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, payload);
    assertThat(PeerRecord.fromEnvelope(envelope).addresses()).containsExactly(ADDRESSES.get(0));
  }

  private static byte[] payload(PeerId id, long seq) {
    return RecordProto.PeerRecord.newBuilder()
        .setPeerId(ByteString.copyFrom(id.toBytes()))
        .setSeq(seq)
        .addAddresses(info(ADDRESSES.get(0).toBytes()))
        .build()
        .toByteArray();
  }

  private static RecordProto.PeerRecord.AddressInfo info(byte[] multiaddr) {
    return RecordProto.PeerRecord.AddressInfo.newBuilder()
        .setMultiaddr(ByteString.copyFrom(multiaddr))
        .build();
  }
}
