package io.meshwork.networking.crypto;

import static io.meshwork.networking.crypto.KeyVectors.hex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;

class Secp256k1KeyTest {
  @Test
  void derivesTheSpecPublicKeyFromTheSpecPrivateKey() {
    PrivateKey key = PrivateKey.unmarshal(hex(KeyVectors.SECP256K1_PRIVATE));
    assertThat(key.type()).isEqualTo(KeyType.SECP256K1);
    assertThat(key.publicKey().marshal()).isEqualTo(hex(KeyVectors.SECP256K1_PUBLIC));
    assertThat(key.marshal()).isEqualTo(hex(KeyVectors.SECP256K1_PRIVATE));
    assertThat(PublicKey.unmarshal(hex(KeyVectors.SECP256K1_PUBLIC))).isEqualTo(key.publicKey());
  }

  @Test
  void signsDeterministicallyPerRfc6979() {
    // Widely used RFC 6979 secp256k1/SHA-256 vector: d = 1, message "Satoshi Nakamoto".
    byte[] raw = new byte[32];
    raw[31] = 1;
    Secp256k1PrivateKey key = Secp256k1PrivateKey.fromRaw(raw);
    byte[] signature = key.sign("Satoshi Nakamoto".getBytes(UTF_8));
    BigInteger[] rs = decode(signature);
    assertThat(rs[0].toString(16))
        .isEqualTo("934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8");
    assertThat(rs[1].toString(16))
        .isEqualTo("2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
    assertThat(key.sign("Satoshi Nakamoto".getBytes(UTF_8))).isEqualTo(signature);
  }

  @Property(tries = 50)
  void ourSignaturesAreAlwaysLowSAndVerify(@ForAll byte[] message) {
    PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
    byte[] signature = key.sign(message);
    assertThat(decode(signature)[1]).isLessThanOrEqualTo(Secp256k1Curve.HALF_N);
    assertThat(key.publicKey().verify(message, signature)).isTrue();
  }

  @Test
  void rejectsTheHighSTwinOfAValidSignature() throws Exception {
    PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
    byte[] message = "malleable?".getBytes(UTF_8);
    BigInteger[] rs = decode(key.sign(message));
    byte[] highS =
        StandardDSAEncoding.INSTANCE.encode(
            Secp256k1Curve.N, rs[0], Secp256k1Curve.N.subtract(rs[1]));
    assertThat(key.publicKey().verify(message, highS)).isFalse();
  }

  @Test
  void rejectsNonCanonicalDer() {
    PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
    byte[] message = "der".getBytes(UTF_8);
    byte[] signature = key.sign(message);
    byte[] trailing = java.util.Arrays.copyOf(signature, signature.length + 1);
    assertThat(key.publicKey().verify(message, trailing)).isFalse();
    // Same r and s with a redundant leading zero in r: valid BER, not DER.
    BigInteger[] rs = decode(signature);
    byte[] r = rs[0].toByteArray();
    byte[] s = rs[1].toByteArray();
    byte[] padded = new byte[6 + r.length + 1 + s.length];
    padded[0] = 0x30;
    padded[1] = (byte) (padded.length - 2);
    padded[2] = 0x02;
    padded[3] = (byte) (r.length + 1);
    System.arraycopy(r, 0, padded, 5, r.length);
    padded[5 + r.length] = 0x02;
    padded[6 + r.length] = (byte) s.length;
    System.arraycopy(s, 0, padded, 7 + r.length, s.length);
    assertThat(key.publicKey().verify(message, padded)).isFalse();
    assertThat(key.publicKey().verify(message, new byte[0])).isFalse();
    signature[signature.length - 1] ^= 1;
    assertThat(key.publicKey().verify(message, signature)).isFalse();
  }

  @Test
  void readsUncompressedPointsButWritesCompressed() {
    PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
    byte[] uncompressed = ((Secp256k1PrivateKey) key).publicKey().point().getEncoded(false);
    Secp256k1PublicKey read = Secp256k1PublicKey.fromBytes(uncompressed);
    assertThat(read).isEqualTo(key.publicKey());
    assertThat(read.raw()).hasSize(33);
  }

  @Test
  void rejectsInvalidKeys() {
    byte[] notOnCurve = hex(KeyVectors.SECP256K1_PUBLIC.substring(8));
    notOnCurve[0] = 0x05;
    assertThatThrownBy(() -> Secp256k1PublicKey.fromBytes(notOnCurve))
        .isInstanceOf(KeyFormatException.class);
    byte[] badX = new byte[33];
    badX[0] = 0x02;
    java.util.Arrays.fill(badX, 1, 33, (byte) 0xff); // x >= p
    assertThatThrownBy(() -> Secp256k1PublicKey.fromBytes(badX))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> Secp256k1PrivateKey.fromRaw(new byte[32]))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> Secp256k1PrivateKey.fromRaw(new byte[31]))
        .isInstanceOf(KeyFormatException.class);
  }

  private static BigInteger[] decode(byte[] signature) {
    try {
      return StandardDSAEncoding.INSTANCE.decode(Secp256k1Curve.N, signature);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
