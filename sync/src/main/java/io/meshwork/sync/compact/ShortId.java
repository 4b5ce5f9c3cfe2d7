package io.meshwork.sync.compact;

/** A 48-bit short transaction id, 6 bytes little-endian on the wire (chain-gossip.md). */
public record ShortId(long value) {
  public static final int SIZE = 6;
  static final long MASK = (1L << 48) - 1;

  public ShortId {
    if ((value & ~MASK) != 0) {
      throw new IllegalArgumentException("short id must fit 48 bits: " + Long.toHexString(value));
    }
  }

  void writeTo(byte[] target, int offset) {
    for (int i = 0; i < SIZE; i++) {
      target[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  static ShortId read(byte[] source, int offset) {
    return new ShortId(SipHash.littleEndian(source, offset, SIZE));
  }

  @Override
  public String toString() {
    return String.format("ShortId[%012x]", value);
  }
}
