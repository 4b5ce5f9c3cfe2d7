package io.meshwork.networking.multiformats;

import io.netty.buffer.ByteBuf;

/**
 * Unsigned varints as the multiformats unsigned-varint spec defines them: little-endian groups of 7
 * bits, the high bit of each byte set when another byte follows.
 *
 * <p>The spec caps a varint at 9 bytes (63 bits of value) and requires the minimal encoding, so
 * that every value has exactly one encoding; both rules are enforced when reading. All methods are
 * stateless and thread-safe. Methods taking a {@link ByteBuf} never retain or release it.
 */
public final class Varint {
  /** Maximum encoded length (unsigned-varint spec, "Practical maximum of 9 bytes"). */
  public static final int MAX_BYTES = 9;

  /** A decoded varint and the number of bytes it occupied. */
  public record Decoded(long value, int length) {}

  private Varint() {}

  /**
   * Encodes {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} is negative (it would need 10 bytes)
   */
  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    int i = 0;
    while ((value & ~0x7FL) != 0) {
      out[i++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[i] = (byte) value;
    return out;
  }

  /** Writes {@code value} to {@code out}; the caller keeps ownership of {@code out}. */
  public static void write(long value, ByteBuf out) {
    checkEncodable(value);
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  /** Number of bytes {@link #encode} produces for {@code value}. */
  public static int size(long value) {
    checkEncodable(value);
    int bits = 64 - Long.numberOfLeadingZeros(value);
    return bits == 0 ? 1 : (bits + 6) / 7;
  }

  /**
   * Reads one varint from {@code in}.
   *
   * @return the value, or -1 with the reader index unchanged if {@code in} does not yet hold a
   *     whole varint
   * @throws VarintException if the varint is longer than {@link #MAX_BYTES} or not minimal
   */
  public static long read(ByteBuf in) {
    int start = in.readerIndex();
    int available = in.readableBytes();
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (i >= available) {
        return -1;
      }
      int b = in.getUnsignedByte(start + i);
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        checkMinimal(b, i);
        in.readerIndex(start + i + 1);
        return value;
      }
    }
    throw new VarintException("varint longer than " + MAX_BYTES + " bytes");
  }

  /**
   * Decodes one varint starting at {@code offset}.
   *
   * @throws VarintException if the bytes end before the varint does, or it is too long or not
   *     minimal
   */
  public static Decoded decode(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (offset + i >= bytes.length) {
        throw new VarintException("truncated varint");
      }
      int b = bytes[offset + i] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        checkMinimal(b, i);
        return new Decoded(value, i + 1);
      }
    }
    throw new VarintException("varint longer than " + MAX_BYTES + " bytes");
  }

  // A last byte of 0 after at least one continuation byte adds nothing: a shorter encoding exists.
  private static void checkMinimal(int lastByte, int index) {
    if (lastByte == 0 && index > 0) {
      throw new VarintException("varint not minimally encoded");
    }
  }

  private static void checkEncodable(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint value must be in [0, 2^63): " + value);
    }
  }
}
