package io.meshwork.networking.security.noise;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * An X25519 key pair and the Noise {@code DH()} function (Noise §12.1, RFC 7748) on the JDK's XDH
 * provider. Keys cross this class's boundary as the 32-byte little-endian encodings of RFC 7748 §5.
 * Not thread-safe; used by one handshake.
 */
final class X25519KeyPair {
  static final int KEY_LENGTH = 32;

  /** RFC 7748 §4.1: the base point has u = 9, so DH(private, 9) is the public key. */
  private static final byte[] BASE_POINT = basePoint();

  private final XECPrivateKey privateKey;
  private final byte[] publicKey;

  private X25519KeyPair(XECPrivateKey privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A fresh random key pair (Noise {@code GENERATE_KEYPAIR()}). */
  static X25519KeyPair generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
      return new X25519KeyPair(
          (XECPrivateKey) pair.getPrivate(), encodeU(((XECPublicKey) pair.getPublic()).getU()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no X25519 provider", e);
    }
  }

  /** The key pair for a given 32-byte private scalar (used with test vectors). */
  static X25519KeyPair fromPrivateKey(byte[] scalar) {
    if (scalar.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "an X25519 private key has 32 bytes, got " + scalar.length);
    }
    try {
      XECPrivateKey key =
          (XECPrivateKey)
              KeyFactory.getInstance("XDH")
                  .generatePrivate(
                      new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
      return new X25519KeyPair(key, agree(key, BASE_POINT));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive an X25519 public key", e);
    }
  }

  /** The 32-byte public key. */
  byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * Noise {@code DH(key_pair, public_key)}: the 32-byte shared secret.
   *
   * @throws InvalidKeyException if the remote key is of small order (an all-zero result), which
   *     Noise §12.1 allows us to reject
   */
  byte[] dh(byte[] remotePublicKey) throws InvalidKeyException {
    if (remotePublicKey.length != KEY_LENGTH) {
      throw new InvalidKeyException("an X25519 public key has 32 bytes");
    }
    try {
      return agree(privateKey, remotePublicKey);
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("X25519 agreement failed", e);
    }
  }

  private static byte[] agree(XECPrivateKey key, byte[] remotePublicKey)
      throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(key);
    agreement.doPhase(
        KeyFactory.getInstance("XDH")
            .generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(remotePublicKey))),
        true);
    return agreement.generateSecret();
  }

  /**
   * RFC 7748 §5 decodeUCoordinate: little-endian, and the most significant bit of the last byte is
   * ignored. (The JDK reduces non-canonical values modulo p itself.)
   */
  static BigInteger decodeU(byte[] encoded) {
    byte[] bigEndian = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      bigEndian[i] = encoded[KEY_LENGTH - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    return new BigInteger(1, bigEndian);
  }

  /** RFC 7748 §5 encodeUCoordinate: 32 bytes, little-endian. */
  static byte[] encodeU(BigInteger u) {
    byte[] bigEndian = u.toByteArray(); // may carry a leading sign byte, or be shorter than 32
    byte[] out = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  private static byte[] basePoint() {
    byte[] u = new byte[KEY_LENGTH];
    u[0] = 9;
    return u;
  }
}
