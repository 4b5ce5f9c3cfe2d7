package io.meshwork.networking.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * A secp256k1 private key: a scalar d in [1, n), encoded as 32 big-endian bytes (peer-ids spec,
 * "Secp256k1"). Signs with BouncyCastle's ECDSA, deterministic nonces (RFC 6979) and low S.
 * Immutable and thread-safe.
 */
public final class Secp256k1PrivateKey implements PrivateKey {
  private static final int SIZE = 32;

  private final BigInteger d;
  private final Secp256k1PublicKey publicKey;

  private Secp256k1PrivateKey(BigInteger d) {
    this.d = d;
    this.publicKey =
        Secp256k1PublicKey.fromPoint(
            new FixedPointCombMultiplier().multiply(Secp256k1Curve.DOMAIN.getG(), d));
  }

  /**
   * A key from its 32 raw bytes.
   *
   * @throws KeyFormatException if it is not 32 bytes or not in [1, n)
   */
  public static Secp256k1PrivateKey fromRaw(byte[] raw) {
    if (raw.length != SIZE) {
      throw new KeyFormatException("secp256k1 private key must be 32 bytes, got " + raw.length);
    }
    BigInteger d = new BigInteger(1, raw);
    if (d.signum() == 0 || d.compareTo(Secp256k1Curve.N) >= 0) {
      throw new KeyFormatException("secp256k1 private key out of range [1, n)");
    }
    return new Secp256k1PrivateKey(d);
  }

  static Secp256k1PrivateKey generate(SecureRandom random) {
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (d.signum() == 0 || d.compareTo(Secp256k1Curve.N) >= 0);
    return new Secp256k1PrivateKey(d);
  }

  @Override
  public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override
  public Secp256k1PublicKey publicKey() {
    return publicKey;
  }

  /** The 32 raw bytes. */
  public byte[] raw() {
    return BigIntegers.asUnsignedByteArray(SIZE, d);
  }

  @Override
  public byte[] sign(byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, Secp256k1Curve.DOMAIN));
    BigInteger[] rs = signer.generateSignature(Secp256k1Curve.digest(message));
    BigInteger s = rs[1];
    // BouncyCastle does not normalise S; (r, n - s) is the same signature with low S (BIP 62).
    if (s.compareTo(Secp256k1Curve.HALF_N) > 0) {
      s = Secp256k1Curve.N.subtract(s);
    }
    try {
      return StandardDSAEncoding.INSTANCE.encode(Secp256k1Curve.N, rs[0], s);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
    }
  }

  @Override
  public byte[] marshal() {
    return KeyCodec.marshalPrivate(KeyType.SECP256K1, raw());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secp256k1PrivateKey other && d.equals(other.d);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "Secp256k1PrivateKey[public=" + publicKey + "]";
  }
}
