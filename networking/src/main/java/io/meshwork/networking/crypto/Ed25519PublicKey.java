package io.meshwork.networking.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 public key: 32 raw bytes (RFC 8032), with no extra encoding (peer-ids spec,
 * "Ed25519"). Signatures are checked with BouncyCastle's RFC 8032 code. Immutable and thread-safe.
 */
public final class Ed25519PublicKey implements PublicKey {
  static final int SIZE = 32;

  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the 32 bytes. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final byte[] raw;

  private Ed25519PublicKey(byte[] raw) {
    this.raw = raw;
  }

  /**
   * An Ed25519 public key from its 32 raw bytes.
   *
   * @throws KeyFormatException if {@code raw} is not 32 bytes long
   */
  public static Ed25519PublicKey fromRaw(byte[] raw) {
    if (raw.length != SIZE) {
      throw new KeyFormatException("Ed25519 public key must be 32 bytes, got " + raw.length);
    }
    byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + SIZE);
    System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, SIZE);
    try {
      // The JDK parses the key as before (its errors are the ones callers know).
      KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      return new Ed25519PublicKey(raw.clone());
    } catch (GeneralSecurityException e) {
      throw new KeyFormatException("invalid Ed25519 public key: " + e.getMessage(), e);
    }
  }

  @Override
  public KeyType type() {
    return KeyType.ED25519;
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  @Override
  public byte[] marshal() {
    return KeyCodec.marshalPublic(KeyType.ED25519, raw);
  }

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    // BouncyCastle's RFC 8032 code: about ten times the JDK 17 provider's speed, and every gossip
    // message, signed peer record and handshake payload is checked here. Like the JDK it rejects
    // a non-canonical S (RFC 8032 section 5.1.7) and a key that does not decode to a point.
    try {
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
          signature, 0, raw, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + HexFormat.of().formatHex(raw) + "]";
  }
}
