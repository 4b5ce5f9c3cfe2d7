package io.meshwork.networking.crypto;

/**
 * A libp2p public key. Immutable and thread-safe; {@code equals} compares type and raw bytes.
 *
 * <p>Implementations: {@link Ed25519PublicKey} (raw = 32 bytes) and {@link Secp256k1PublicKey} (raw
 * = 33-byte compressed SEC1 point).
 */
public sealed interface PublicKey permits Ed25519PublicKey, Secp256k1PublicKey {
  KeyType type();

  /** The key in its type's encoding, as carried in the protobuf {@code Data} field. */
  byte[] raw();

  /** The libp2p {@code PublicKey} protobuf, deterministically encoded (peer-ids spec). */
  byte[] marshal();

  /**
   * Verifies {@code signature} over {@code message} by this key's signing rules (peer-ids spec).
   * Returns false, never throws, for a malformed or wrong signature.
   */
  boolean verify(byte[] message, byte[] signature);

  /**
   * Decodes a libp2p {@code PublicKey} protobuf.
   *
   * @throws KeyFormatException if it is malformed, invalid or of an unsupported type (RSA, ECDSA)
   */
  static PublicKey unmarshal(byte[] protobuf) {
    return KeyCodec.unmarshalPublic(protobuf);
  }
}
