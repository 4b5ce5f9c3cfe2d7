package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * A point in the Kademlia key space: the SHA-256 of a key's bytes (kad-dht spec, "Distance": {@code
 * XOR(sha256(key1), sha256(key2))}). Peers are placed by the SHA-256 of their peer id multihash,
 * records and provider keys by the SHA-256 of the key bytes.
 *
 * <p>Immutable and thread-safe; equality is over the hash.
 */
public final class KadKey {
  public static final int LENGTH = 32;

  private final byte[] hash;

  private KadKey(byte[] hash) {
    this.hash = hash;
  }

  /** The key-space point of arbitrary key bytes (a record key, a CID, a peer id). */
  public static KadKey of(byte[] keyBytes) {
    try {
      return new KadKey(MessageDigest.getInstance("SHA-256").digest(keyBytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static KadKey ofPeer(PeerId peer) {
    return of(peer.toBytes());
  }

  /** A key from a 32-byte hash; for tests and simulations, which need arbitrary points. */
  public static KadKey fromHash(byte[] hash) {
    if (hash.length != LENGTH) {
      throw new IllegalArgumentException("a key hash has 32 bytes, not " + hash.length);
    }
    return new KadKey(hash.clone());
  }

  /** A uniformly random point of the key space. */
  public static KadKey random(Random random) {
    byte[] hash = new byte[LENGTH];
    random.nextBytes(hash);
    return new KadKey(hash);
  }

  public Distance distanceTo(KadKey other) {
    return Distance.between(hash, other.hash);
  }

  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadKey other && Arrays.equals(hash, other.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "KadKey(" + HexFormat.of().formatHex(hash, 0, 6) + "…)";
  }
}
