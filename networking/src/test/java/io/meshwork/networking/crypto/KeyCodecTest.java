package io.meshwork.networking.crypto;

import static io.meshwork.networking.crypto.KeyVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyCodecTest {
  @Test
  void rejectsUnsupportedKeyTypes() {
    assertThatThrownBy(() -> PublicKey.unmarshal(hex(KeyVectors.ECDSA_PUBLIC)))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("unsupported");
    assertThatThrownBy(() -> PrivateKey.generate(KeyType.RSA))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsMalformedProtobufs() {
    assertThatThrownBy(() -> PublicKey.unmarshal(new byte[] {0x08, 0x01}))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> PublicKey.unmarshal(new byte[] {0x12, 0x01, 0x00}))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> PrivateKey.unmarshal(new byte[] {(byte) 0xff}))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> PublicKey.unmarshal(new byte[KeyCodec.MAX_KEY_BYTES + 1]))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void marshalsTypeBeforeData() {
    byte[] marshalled = PrivateKey.generate(KeyType.ED25519).publicKey().marshal();
    assertThat(marshalled[0]).isEqualTo((byte) 0x08);
    assertThat(marshalled[1]).isEqualTo((byte) KeyType.ED25519.code());
    assertThat(marshalled[2]).isEqualTo((byte) 0x12);
    assertThat(marshalled[3]).isEqualTo((byte) 32);
  }

  @Test
  void roundTripsGeneratedKeys() {
    for (KeyType type : new KeyType[] {KeyType.ED25519, KeyType.SECP256K1}) {
      PrivateKey key = PrivateKey.generate(type);
      assertThat(PrivateKey.unmarshal(key.marshal())).isEqualTo(key);
      assertThat(PublicKey.unmarshal(key.publicKey().marshal())).isEqualTo(key.publicKey());
    }
  }
}
