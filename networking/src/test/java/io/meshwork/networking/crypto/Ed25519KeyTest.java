package io.meshwork.networking.crypto;

import static io.meshwork.networking.crypto.KeyVectors.hex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ed25519KeyTest {
  @Test
  void derivesTheSpecPublicKeyFromTheSpecPrivateKey() {
    PrivateKey key = PrivateKey.unmarshal(hex(KeyVectors.ED25519_PRIVATE));
    assertThat(key.type()).isEqualTo(KeyType.ED25519);
    assertThat(key.publicKey().marshal()).isEqualTo(hex(KeyVectors.ED25519_PUBLIC));
    assertThat(key.marshal()).isEqualTo(hex(KeyVectors.ED25519_PRIVATE));
  }

  @Test
  void unmarshalsTheSpecPublicKey() {
    PublicKey key = PublicKey.unmarshal(hex(KeyVectors.ED25519_PUBLIC));
    assertThat(key).isInstanceOf(Ed25519PublicKey.class);
    assertThat(key.raw()).hasSize(32);
    assertThat(key.marshal()).isEqualTo(hex(KeyVectors.ED25519_PUBLIC));
  }

  @Test
  void signsLikeRfc8032TestVector1() {
    // RFC 8032 section 7.1, TEST 1 (empty message).
    Ed25519PrivateKey key =
        Ed25519PrivateKey.fromSeed(
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(key.publicKey().raw())
        .isEqualTo(hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    byte[] signature = key.sign(new byte[0]);
    assertThat(signature)
        .isEqualTo(
            hex(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
                    + "701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    assertThat(key.publicKey().verify(new byte[0], signature)).isTrue();
  }

  @Test
  void acceptsABareSeedAndTheLegacyNinetySixByteForm() {
    Ed25519PrivateKey key = (Ed25519PrivateKey) PrivateKey.generate(KeyType.ED25519);
    byte[] pub = key.publicKey().raw();
    assertThat(Ed25519PrivateKey.fromBytes(key.seed())).isEqualTo(key);
    byte[] legacy = new byte[96];
    System.arraycopy(key.seed(), 0, legacy, 0, 32);
    System.arraycopy(pub, 0, legacy, 32, 32);
    System.arraycopy(pub, 0, legacy, 64, 32);
    assertThat(Ed25519PrivateKey.fromBytes(legacy)).isEqualTo(key);
  }

  @Test
  void rejectsPrivateKeyWhosePublicHalfDoesNotMatch() {
    byte[] data = Arrays.copyOfRange(hex(KeyVectors.ED25519_PRIVATE), 4, 68);
    data[63] ^= 1;
    assertThatThrownBy(() -> Ed25519PrivateKey.fromBytes(data))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("not derived");
  }

  @Test
  void rejectsWrongLengths() {
    assertThatThrownBy(() -> Ed25519PublicKey.fromRaw(new byte[31]))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> Ed25519PrivateKey.fromBytes(new byte[33]))
        .isInstanceOf(KeyFormatException.class);
  }

  @Test
  void verifyReturnsFalseForTamperedOrMalformedSignatures() {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    byte[] message = "hello".getBytes(UTF_8);
    byte[] signature = key.sign(message);
    assertThat(key.publicKey().verify(message, signature)).isTrue();
    byte[] tampered = signature.clone();
    tampered[10] ^= 1;
    assertThat(key.publicKey().verify(message, tampered)).isFalse();
    assertThat(key.publicKey().verify("hellO".getBytes(UTF_8), signature)).isFalse();
    assertThat(key.publicKey().verify(message, new byte[3])).isFalse();
    assertThat(key.publicKey().verify(message, new byte[64])).isFalse();
  }

  @Test
  void toStringDoesNotRevealTheSeed() {
    Ed25519PrivateKey key = (Ed25519PrivateKey) PrivateKey.generate(KeyType.ED25519);
    assertThat(key.toString()).doesNotContain(java.util.HexFormat.of().formatHex(key.seed()));
  }
}
