package io.meshwork.chain.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 digest. Immutable; thread-safe. */
public final class Hash implements Comparable<Hash> {
  public static final int SIZE = 32;

  /** The all-zero hash, the parent of nothing. */
  public static final Hash ZERO = new Hash(new byte[SIZE]);

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hash::newDigest);

  private final byte[] bytes;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code bytes}, which must be exactly 32 bytes long. */
  public static Hash of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("hash must be 32 bytes, got " + bytes.length);
    }
    return new Hash(bytes.clone());
  }

  /** Parses 64 hex characters. */
  public static Hash fromHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  /** SHA-256 of {@code data}. */
  public static Hash sha256(byte[] data) {
    return sha256(data, 0, data.length);
  }

  /** SHA-256 of {@code data[offset, offset+length)}. */
  public static Hash sha256(byte[] data, int offset, int length) {
    MessageDigest digest = SHA256.get();
    digest.update(data, offset, length);
    return new Hash(digest.digest());
  }

  /** SHA-256 of the concatenation of the parts. */
  public static Hash sha256(byte[]... parts) {
    MessageDigest digest = SHA256.get();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return new Hash(digest.digest());
  }

  /** A fresh SHA-256 digest (for callers that hash incrementally, such as the miner). */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static Hash wrap(byte[] owned) {
    return new Hash(owned);
  }

  /** A copy of the 32 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  void writeTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, SIZE);
  }

  /** The hash as an unsigned big-endian 256-bit number (proof of work compares these). */
  public java.math.BigInteger toUnsignedBigInteger() {
    return new java.math.BigInteger(1, bytes);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** The first 8 bytes as a long, for hash tables and short ids. */
  public long prefixLong() {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
  }

  @Override
  public int compareTo(Hash other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return (int) prefixLong();
  }

  @Override
  public String toString() {
    return toHex().substring(0, 16);
  }
}
