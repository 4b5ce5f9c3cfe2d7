package io.meshwork.chain.consensus;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The difficulty target in the 32-bit compact form Bitcoin introduced ("nBits"): one exponent byte
 * (the target's length in bytes) and a 23-bit mantissa. Only the canonical form is accepted: the
 * sign bit clear, the mantissa normalised, the target positive, so every target has one encoding.
 */
public final class CompactTarget {
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

  private CompactTarget() {}

  /** The target the bits encode, or empty when the bits are not the canonical encoding of one. */
  public static Optional<BigInteger> decode(int bits) {
    int exponent = bits >>> 24;
    int mantissa = bits & 0x007fffff;
    if ((bits & 0x00800000) != 0 || mantissa == 0 || exponent > 33) {
      return Optional.empty();
    }
    BigInteger target =
        exponent <= 3
            ? BigInteger.valueOf(mantissa >>> (8 * (3 - exponent)))
            : BigInteger.valueOf(mantissa).shiftLeft(8 * (exponent - 3));
    if (target.signum() <= 0 || target.bitLength() > 256 || encode(target) != bits) {
      return Optional.empty();
    }
    return Optional.of(target);
  }

  /**
   * The compact form of {@code target}, truncating to 23 mantissa bits (so decode(encode(t)) &lt;=
   * t).
   */
  public static int encode(BigInteger target) {
    if (target.signum() <= 0) {
      throw new IllegalArgumentException("target must be positive");
    }
    int size = (target.bitLength() + 7) / 8;
    long mantissa =
        size <= 3
            ? target.longValue() << (8 * (3 - size))
            : target.shiftRight(8 * (size - 3)).longValue();
    if ((mantissa & 0x00800000L) != 0) {
      mantissa >>>= 8;
      size++;
    }
    return (size << 24) | (int) mantissa;
  }

  /** Expected hashes to meet {@code target}: 2^256 / (target + 1). */
  public static BigInteger work(BigInteger target) {
    return TWO_256.divide(target.add(BigInteger.ONE));
  }

  /** The target that takes about {@code expectedHashes} attempts to meet. */
  public static BigInteger forExpectedHashes(long expectedHashes) {
    return TWO_256.divide(BigInteger.valueOf(Math.max(1, expectedHashes))).subtract(BigInteger.ONE);
  }

  /** The target as 32 big-endian bytes (for cheap comparison against a hash). */
  public static byte[] toBytes32(BigInteger target) {
    byte[] raw = target.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }
}
