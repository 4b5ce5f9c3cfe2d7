package io.meshwork.networking.crypto;

import java.security.SecureRandom;

/**
 * A libp2p private key. Immutable and thread-safe; {@code toString} never shows key material.
 *
 * <p>Implementations: {@link Ed25519PrivateKey} and {@link Secp256k1PrivateKey}.
 */
public sealed interface PrivateKey permits Ed25519PrivateKey, Secp256k1PrivateKey {
  KeyType type();

  PublicKey publicKey();

  /**
   * Signs {@code message}. Ed25519: a 64-byte RFC 8032 signature. secp256k1: DER-encoded ECDSA over
   * SHA-256(message) with a deterministic nonce (RFC 6979) and a low S value (BIP 62).
   */
  byte[] sign(byte[] message);

  /** The libp2p {@code PrivateKey} protobuf, as stored in identity files. */
  byte[] marshal();

  /**
   * Decodes a libp2p {@code PrivateKey} protobuf.
   *
   * @throws KeyFormatException if it is malformed, invalid or of an unsupported type
   */
  static PrivateKey unmarshal(byte[] protobuf) {
    return KeyCodec.unmarshalPrivate(protobuf);
  }

  /**
   * Generates a fresh key pair from a {@link SecureRandom}.
   *
   * @throws IllegalArgumentException for types other than ED25519 and SECP256K1
   */
  static PrivateKey generate(KeyType type) {
    SecureRandom random = new SecureRandom();
    return switch (type) {
      case ED25519 -> Ed25519PrivateKey.generate(random);
      case SECP256K1 -> Secp256k1PrivateKey.generate(random);
      default -> throw new IllegalArgumentException("cannot generate " + type + " keys");
    };
  }
}
