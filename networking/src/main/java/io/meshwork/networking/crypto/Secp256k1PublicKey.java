package io.meshwork.networking.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key, encoded as a 33-byte compressed SEC1 point (peer-ids spec, "Secp256k1":
 * Bitcoin encoding). A 65-byte uncompressed point is read too, as Bitcoin encoding allows it, but
 * the key is always written compressed, so its peer id is that of the compressed form. Immutable
 * and thread-safe.
 */
public final class Secp256k1PublicKey implements PublicKey {
  private final byte[] compressed;
  private final ECPoint point;

  private Secp256k1PublicKey(ECPoint point) {
    this.point = point.normalize();
    this.compressed = this.point.getEncoded(true);
  }

  ECPoint point() {
    return point;
  }

  static Secp256k1PublicKey fromPoint(ECPoint point) {
    return new Secp256k1PublicKey(point);
  }

  /**
   * A key from a compressed (33-byte, prefix 02/03) or uncompressed (65-byte, prefix 04) point.
   *
   * @throws KeyFormatException if the bytes are not a point on secp256k1 in one of those forms
   */
  public static Secp256k1PublicKey fromBytes(byte[] encoded) {
    boolean compressedForm = encoded.length == 33 && (encoded[0] == 0x02 || encoded[0] == 0x03);
    boolean uncompressedForm = encoded.length == 65 && encoded[0] == 0x04;
    if (!compressedForm && !uncompressedForm) {
      throw new KeyFormatException(
          "secp256k1 public key must be a 33-byte compressed or 65-byte uncompressed point");
    }
    try {
      ECPoint point = Secp256k1Curve.DOMAIN.getCurve().decodePoint(encoded);
      if (point.isInfinity() || !point.isValid()) {
        throw new KeyFormatException("secp256k1 public key is not a valid curve point");
      }
      return new Secp256k1PublicKey(point);
    } catch (IllegalArgumentException e) {
      if (e instanceof KeyFormatException kfe) {
        throw kfe;
      }
      throw new KeyFormatException(
          "secp256k1 public key is not a curve point: " + e.getMessage(), e);
    }
  }

  @Override
  public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override
  public byte[] raw() {
    return compressed.clone();
  }

  @Override
  public byte[] marshal() {
    return KeyCodec.marshalPublic(KeyType.SECP256K1, compressed);
  }

  /**
   * Verifies a strict-DER ECDSA signature over SHA-256(message). High-S signatures are rejected
   * (BIP 62, as rust- and js-libp2p do): every valid signature has one accepted encoding.
   */
  @Override
  public boolean verify(byte[] message, byte[] signature) {
    BigInteger[] rs;
    try {
      // StandardDSAEncoding re-encodes and compares, so only canonical DER with 0 < r, s < n
      // passes.
      rs = StandardDSAEncoding.INSTANCE.decode(Secp256k1Curve.N, signature);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (rs[1].compareTo(Secp256k1Curve.HALF_N) > 0) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(point, Secp256k1Curve.DOMAIN));
    return verifier.verifySignature(Secp256k1Curve.digest(message), rs[0], rs[1]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secp256k1PublicKey other && Arrays.equals(compressed, other.compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  @Override
  public String toString() {
    return "Secp256k1PublicKey[" + HexFormat.of().formatHex(compressed) + "]";
  }
}
