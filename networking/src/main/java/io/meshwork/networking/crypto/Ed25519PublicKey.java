package io.meshwork.networking.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 public key: 32 raw bytes (RFC 8032), with no extra encoding (peer-ids spec,
 * "Ed25519"). Signatures are checked by the JDK's Ed25519 provider. Immutable and thread-safe.
 */
public final class Ed25519PublicKey implements PublicKey {
  static final int SIZE = 32;

  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the 32 bytes. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final byte[] raw;
  private final java.security.PublicKey jdkKey;

  private Ed25519PublicKey(byte[] raw, java.security.PublicKey jdkKey) {
    this.raw = raw;
    this.jdkKey = jdkKey;
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
      java.security.PublicKey jdkKey =
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      return new Ed25519PublicKey(raw.clone(), jdkKey);
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
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(jdkKey);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // The JDK reports a key that is not a curve point this way: a signature that cannot verify.
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
