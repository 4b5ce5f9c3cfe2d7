package io.meshwork.networking.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.pb.RecordProto;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignedEnvelopeTest {
  private static final String DOMAIN = "meshwork-test";
  private static final byte[] TYPE = {0x2f, 0x74};
  private static final byte[] PAYLOAD = "payload".getBytes(UTF_8);

  @Test
  void signsLengthPrefixedDomainTypeAndPayload() {
    assertThat(
            HexFormat.of()
                .formatHex(SignedEnvelope.signedBytes("ab", new byte[] {3, 1}, new byte[] {9})))
        .isEqualTo("02" + "6162" + "02" + "0301" + "01" + "09");
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    SignedEnvelope envelope = SignedEnvelope.seal(key, DOMAIN, TYPE, PAYLOAD);
    assertThat(
            key.publicKey()
                .verify(SignedEnvelope.signedBytes(DOMAIN, TYPE, PAYLOAD), envelope.signature()))
        .isTrue();
  }

  @Test
  void opensWhatItSeals() {
    for (KeyType type : new KeyType[] {KeyType.ED25519, KeyType.SECP256K1}) {
      PrivateKey key = PrivateKey.generate(type);
      byte[] wire = SignedEnvelope.seal(key, DOMAIN, TYPE, PAYLOAD).marshal();
      SignedEnvelope opened = SignedEnvelope.open(wire, DOMAIN);
      assertThat(opened.publicKey()).isEqualTo(key.publicKey());
      assertThat(opened.payloadType()).isEqualTo(TYPE);
      assertThat(opened.payload()).isEqualTo(PAYLOAD);
      assertThat(opened.domain()).isEqualTo(DOMAIN);
      assertThat(opened.marshal()).isEqualTo(wire);
    }
  }

  @Test
  void rejectsAnotherDomain() {
    byte[] wire =
        SignedEnvelope.seal(PrivateKey.generate(KeyType.ED25519), DOMAIN, TYPE, PAYLOAD).marshal();
    assertThatThrownBy(() -> SignedEnvelope.open(wire, "libp2p-peer-record"))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void rejectsTamperedSignaturePayloadOrType() throws Exception {
    PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
    RecordProto.Envelope good =
        RecordProto.Envelope.parseFrom(SignedEnvelope.seal(key, DOMAIN, TYPE, PAYLOAD).marshal());
    byte[] badSignature = good.getSignature().toByteArray();
    badSignature[badSignature.length - 1] ^= 1;
    for (RecordProto.Envelope tampered :
        new RecordProto.Envelope[] {
          good.toBuilder().setSignature(ByteString.copyFrom(badSignature)).build(),
          good.toBuilder().setPayload(ByteString.copyFromUtf8("payloaD")).build(),
          good.toBuilder().setPayloadType(ByteString.copyFrom(new byte[] {0x2f})).build(),
          good.toBuilder()
              .setPublicKey(
                  ByteString.copyFrom(PrivateKey.generate(KeyType.SECP256K1).publicKey().marshal()))
              .build()
        }) {
      assertThatThrownBy(() -> SignedEnvelope.open(tampered.toByteArray(), DOMAIN))
          .isInstanceOf(EnvelopeException.class);
    }
  }

  @Test
  void rejectsMalformedEnvelopesAndKeys() {
    assertThatThrownBy(() -> SignedEnvelope.open(new byte[] {(byte) 0xff, 0x01}, DOMAIN))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("malformed");
    byte[] noKey =
        RecordProto.Envelope.newBuilder()
            .setPayload(ByteString.copyFromUtf8("x"))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> SignedEnvelope.open(noKey, DOMAIN))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("public key");
  }
}
