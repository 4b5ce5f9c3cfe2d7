package io.meshwork.chain.model;

import java.util.Arrays;

/** Appends canonical encodings to a growable byte array. Not thread-safe; one per encoding. */
public final class CanonicalWriter {
  private byte[] buffer;
  private int size;

  public CanonicalWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }

  /** Writes an unsigned LEB128 varint; {@code value} must not be negative. */
  public CanonicalWriter varint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint must not be negative: " + value);
    }
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buffer[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[size++] = (byte) value;
    return this;
  }

  public CanonicalWriter bytes(byte[] value) {
    ensure(value.length);
    System.arraycopy(value, 0, buffer, size, value.length);
    size += value.length;
    return this;
  }

  public CanonicalWriter hash(Hash hash) {
    ensure(Hash.SIZE);
    hash.writeTo(buffer, size);
    size += Hash.SIZE;
    return this;
  }

  public CanonicalWriter address(Address address) {
    ensure(Address.SIZE);
    address.writeTo(buffer, size);
    size += Address.SIZE;
    return this;
  }

  /** Big-endian, 4 bytes. */
  public CanonicalWriter u32(int value) {
    ensure(4);
    for (int i = 3; i >= 0; i--) {
      buffer[size++] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  /** Big-endian, 8 bytes. */
  public CanonicalWriter u64(long value) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buffer[size++] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }
}
