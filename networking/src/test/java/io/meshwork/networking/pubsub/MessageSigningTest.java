package io.meshwork.networking.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageSigningTest {

  private static GossipsubProto.Message.Builder unsigned() {
    return GossipsubProto.Message.newBuilder()
        .setTopic("t")
        .setData(ByteString.copyFromUtf8("payload"))
        .setSeqno(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}));
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyType.class,
      names = {"ED25519", "SECP256K1"})
  void signsWithTheAuthorsKeyAndVerifies(KeyType type) {
    PrivateKey key = PrivateKey.generate(type);
    GossipsubProto.Message m = MessageSigning.sign(key, unsigned());

    assertThat(PeerId.fromBytes(m.getFrom().toByteArray()))
        .isEqualTo(PeerId.fromPublicKey(key.publicKey()));
    // Both key types fit in an identity peer id, so the key field stays empty.
    assertThat(m.hasKey()).isFalse();
    assertThat(MessageSigning.check(SigningPolicy.STRICT_SIGN, m)).isEmpty();
  }

  @Test
  void signsThePrefixedMessageWithoutSignatureAndKey() {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    GossipsubProto.Message m = MessageSigning.sign(key, unsigned());
    byte[] body = m.toBuilder().clearSignature().build().toByteArray();
    byte[] expected = new byte[14 + body.length];
    System.arraycopy("libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 14);
    System.arraycopy(body, 0, expected, 14, body.length);

    assertThat(MessageSigning.signedBytes(m)).isEqualTo(expected);
    assertThat(key.publicKey().verify(expected, m.getSignature().toByteArray())).isTrue();
  }

  @Test
  void acceptsAMatchingKeyFieldAndRejectsAForeignOne() {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    GossipsubProto.Message m = MessageSigning.sign(key, unsigned());
    GossipsubProto.Message withKey =
        m.toBuilder().setKey(ByteString.copyFrom(key.publicKey().marshal())).build();
    GossipsubProto.Message foreign =
        m.toBuilder()
            .setKey(ByteString.copyFrom(PrivateKey.generate(KeyType.ED25519).publicKey().marshal()))
            .build();

    assertThat(MessageSigning.check(SigningPolicy.STRICT_SIGN, withKey)).isEmpty();
    assertThat(MessageSigning.check(SigningPolicy.STRICT_SIGN, foreign))
        .contains("key does not match from");
  }

  @Test
  void rejectsTamperedDataMissingFieldsAndGarbage() {
    GossipsubProto.Message m =
        MessageSigning.sign(PrivateKey.generate(KeyType.ED25519), unsigned());

    assertThat(
            MessageSigning.check(
                SigningPolicy.STRICT_SIGN,
                m.toBuilder().setData(ByteString.copyFromUtf8("x")).build()))
        .contains("bad signature");
    assertThat(
            MessageSigning.check(SigningPolicy.STRICT_SIGN, m.toBuilder().clearSignature().build()))
        .isPresent();
    assertThat(
            MessageSigning.check(
                SigningPolicy.STRICT_SIGN,
                m.toBuilder().setSeqno(ByteString.copyFrom(new byte[3])).build()))
        .contains("seqno must be 8 bytes");
    assertThat(
            MessageSigning.check(
                SigningPolicy.STRICT_SIGN,
                m.toBuilder().setFrom(ByteString.copyFrom(new byte[] {1, 2})).build()))
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("malformed from"));
    assertThat(
            MessageSigning.check(
                SigningPolicy.STRICT_SIGN,
                m.toBuilder().setKey(ByteString.copyFrom(new byte[] {7})).build()))
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("malformed key"));
    byte[] sig = m.getSignature().toByteArray();
    sig[0] ^= 1;
    assertThat(
            MessageSigning.check(
                SigningPolicy.STRICT_SIGN,
                m.toBuilder().setSignature(ByteString.copyFrom(sig)).build()))
        .contains("bad signature");
  }

  @Test
  void strictNoSignForbidsEveryAuthorField() {
    GossipsubProto.Message bare =
        GossipsubProto.Message.newBuilder()
            .setTopic("t")
            .setData(ByteString.copyFromUtf8("d"))
            .build();
    assertThat(MessageSigning.check(SigningPolicy.STRICT_NO_SIGN, bare)).isEmpty();
    assertThat(
            MessageSigning.check(
                SigningPolicy.STRICT_NO_SIGN,
                bare.toBuilder().setSeqno(ByteString.copyFrom(new byte[8])).build()))
        .isPresent();
    assertThat(
            MessageSigning.check(
                SigningPolicy.STRICT_NO_SIGN,
                bare.toBuilder().setFrom(ByteString.copyFrom(new byte[2])).build()))
        .isPresent();
  }

  @Test
  void defaultMessageIdIsFromThenSeqno() {
    GossipsubProto.Message m =
        MessageSigning.sign(PrivateKey.generate(KeyType.ED25519), unsigned());
    byte[] from = m.getFrom().toByteArray();
    byte[] id = MessageIdFunction.FROM_AND_SEQNO.idOf(new PubsubMessage(m)).toBytes();
    assertThat(Arrays.copyOfRange(id, 0, from.length)).isEqualTo(from);
    assertThat(Arrays.copyOfRange(id, from.length, id.length))
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
  }
}
