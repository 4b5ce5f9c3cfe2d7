package io.meshwork.networking.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * An Ed25519 private key, held as its 32-byte seed (RFC 8032 "private key"). Its libp2p encoding is
 * {@code seed ‖ public key} (64 bytes); the legacy 96-byte {@code seed ‖ pub ‖ pub} form and a bare
 * 32-byte seed are also read (peer-ids spec, "Ed25519"). Signing uses the JDK's Ed25519 provider.
 * Immutable and thread-safe.
 */
public final class Ed25519PrivateKey implements PrivateKey {
  private static final int SEED_SIZE = 32;

  private final byte[] seed;
  private final java.security.PrivateKey jdkKey;
  private final Ed25519PublicKey publicKey;

  private Ed25519PrivateKey(byte[] seed, java.security.PrivateKey jdkKey, Ed25519PublicKey pub) {
    this.seed = seed;
    this.jdkKey = jdkKey;
    this.publicKey = pub;
  }

  /**
   * The key with this 32-byte seed; its public key is derived from the seed.
   *
   * @throws KeyFormatException if {@code seed} is not 32 bytes
   */
  public static Ed25519PrivateKey fromSeed(byte[] seed) {
    if (seed.length != SEED_SIZE) {
      throw new KeyFormatException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    try {
      // The JDK has no public "public key from seed" call, but its generator draws exactly the
      // 32-byte seed from the SecureRandom it is given; we feed it ours and check that it did.
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] used = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
      if (!Arrays.equals(used, seed)) {
        throw new IllegalStateException("JDK Ed25519 generator did not use the given seed");
      }
      byte[] spki = pair.getPublic().getEncoded();
      byte[] pub = Arrays.copyOfRange(spki, spki.length - Ed25519PublicKey.SIZE, spki.length);
      return new Ed25519PrivateKey(seed.clone(), pair.getPrivate(), Ed25519PublicKey.fromRaw(pub));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks Ed25519 (required since Java 15)", e);
    }
  }

  /**
   * Reads the libp2p {@code Data} of an Ed25519 private key: 64 bytes seed‖pub, 96 bytes
   * seed‖pub‖pub (legacy) or a 32-byte seed. Stored public halves must match the seed.
   *
   * @throws KeyFormatException if the length is wrong or a stored public key does not match
   */
  public static Ed25519PrivateKey fromBytes(byte[] data) {
    if (data.length != 32 && data.length != 64 && data.length != 96) {
      throw new KeyFormatException("Ed25519 private key must be 32, 64 or 96 bytes");
    }
    Ed25519PrivateKey key = fromSeed(Arrays.copyOf(data, SEED_SIZE));
    byte[] derived = key.publicKey.raw();
    for (int offset = SEED_SIZE; offset < data.length; offset += Ed25519PublicKey.SIZE) {
      if (!Arrays.equals(
          data, offset, offset + Ed25519PublicKey.SIZE, derived, 0, Ed25519PublicKey.SIZE)) {
        throw new KeyFormatException("Ed25519 private key holds a public key not derived from it");
      }
    }
    return key;
  }

  static Ed25519PrivateKey generate(SecureRandom random) {
    byte[] seed = new byte[SEED_SIZE];
    random.nextBytes(seed);
    return fromSeed(seed);
  }

  @Override
  public KeyType type() {
    return KeyType.ED25519;
  }

  @Override
  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** The 32-byte seed. */
  public byte[] seed() {
    return seed.clone();
  }

  @Override
  public byte[] sign(byte[] message) {
    // Deterministic (RFC 8032): the same signature as the JDK's provider, several times faster.
    byte[] signature = new byte[64];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
        seed, 0, publicKey.raw(), 0, message, 0, message.length, signature, 0);
    return signature;
  }

  @Override
  public byte[] marshal() {
    byte[] data = Arrays.copyOf(seed, SEED_SIZE + Ed25519PublicKey.SIZE);
    System.arraycopy(publicKey.raw(), 0, data, SEED_SIZE, Ed25519PublicKey.SIZE);
    return KeyCodec.marshalPrivate(KeyType.ED25519, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PrivateKey other && Arrays.equals(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "Ed25519PrivateKey[public=" + publicKey + "]";
  }

  /** A SecureRandom that yields one given seed; used only to derive a key pair from it. */
  private static final class FixedSeed extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;
    private boolean used;

    FixedSeed(byte[] seed) {
      this.seed = seed;
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (used || bytes.length != seed.length) {
        throw new IllegalStateException("unexpected draw from the seed source");
      }
      used = true;
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
    }
  }
}
