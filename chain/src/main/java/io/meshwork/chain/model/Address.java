package io.meshwork.chain.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An account address: the first 20 bytes of SHA-256("meshwork/address" || Ed25519 public key).
 * Immutable; thread-safe.
 */
public final class Address implements Comparable<Address> {
  public static final int SIZE = 20;
  private static final byte[] DOMAIN = "meshwork/address".getBytes(StandardCharsets.US_ASCII);

  private final byte[] bytes;

  private Address(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of 20 bytes. */
  public static Address of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("address must be 20 bytes, got " + bytes.length);
    }
    return new Address(bytes.clone());
  }

  public static Address fromHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  /** The address of the holder of the 32-byte Ed25519 public key. */
  public static Address fromPublicKey(byte[] publicKey) {
    if (publicKey.length != 32) {
      throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
    }
    return new Address(Arrays.copyOf(Hash.sha256(DOMAIN, publicKey).toBytes(), SIZE));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The first byte, unsigned (the state root buckets accounts by it). */
  public int firstByte() {
    return bytes[0] & 0xff;
  }

  void writeTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, SIZE);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(Address other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
