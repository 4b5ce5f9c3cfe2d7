package io.meshwork.chain.model;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key (RFC 8032) with its public key and address. Thread-safe. The seed never
 * leaves this object except through {@link #seed()}, which wallets and tests use to persist keys.
 */
public final class SigningKey {
  private final byte[] seed;
  private final byte[] publicKey;
  private final Address address;

  private SigningKey(byte[] seed) {
    this.seed = seed;
    this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    this.address = Address.fromPublicKey(publicKey);
  }

  public static SigningKey generate(SecureRandom random) {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    random.nextBytes(seed);
    return new SigningKey(seed);
  }

  /** The key for a 32-byte RFC 8032 seed. */
  public static SigningKey fromSeed(byte[] seed) {
    if (seed.length != Ed25519.SECRET_KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes");
    }
    return new SigningKey(seed.clone());
  }

  public byte[] seed() {
    return seed.clone();
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public Address address() {
    return address;
  }

  /** A 64-byte Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /** Verifies a 64-byte signature by the 32-byte {@code publicKey} (RFC 8032, strict on S). */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  @Override
  public String toString() {
    return "SigningKey[" + address + "]";
  }
}
