package io.meshwork.networking.kad;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The XOR distance between two {@link KadKey}s, a 256-bit unsigned integer (kad-dht spec,
 * "Distance"). Ordered as that integer; immutable and thread-safe.
 */
public final class Distance implements Comparable<Distance> {
  static final int BITS = 256;

  private final byte[] bytes;

  private Distance(byte[] bytes) {
    this.bytes = bytes;
  }

  static Distance between(byte[] a, byte[] b) {
    byte[] xor = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      xor[i] = (byte) (a[i] ^ b[i]);
    }
    return new Distance(xor);
  }

  /** Number of leading zero bits: the common prefix length of the two keys (256 if equal). */
  public int leadingZeros() {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(bytes[i] & 0xff) - 24;
      }
    }
    return BITS;
  }

  /**
   * The k-bucket this distance falls in: bucket {@code i} holds distances in {@code [2^i,
   * 2^(i+1))}, so 255 is the farthest half of the key space. -1 for the zero distance (ourselves).
   */
  public int bucketIndex() {
    return BITS - 1 - leadingZeros();
  }

  public boolean isZero() {
    return leadingZeros() == BITS;
  }

  public BigInteger toBigInteger() {
    return new BigInteger(1, bytes);
  }

  @Override
  public int compareTo(Distance other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Distance other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Distance(bucket " + bucketIndex() + ")";
  }
}
