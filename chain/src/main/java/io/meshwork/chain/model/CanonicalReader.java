package io.meshwork.chain.model;

/**
 * Reads canonical encodings strictly: every deviation from the one valid encoding throws {@link
 * MalformedEncodingException} naming the field. Not thread-safe.
 */
public final class CanonicalReader {
  private final byte[] data;
  private int position;

  public CanonicalReader(byte[] data) {
    this.data = data;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return data.length - position;
  }

  private void need(int n, String field) {
    if (data.length - position < n) {
      throw new MalformedEncodingException("truncated " + field);
    }
  }

  /** A minimal unsigned LEB128 varint in [0, 2^63-1]. */
  public long varint(String field) {
    long value = 0;
    for (int i = 0; i < 10; i++) {
      need(1, field);
      int b = data[position++] & 0xff;
      if (i == 9 && b > 0) {
        // The tenth byte may carry bit 63 only, which would make the value negative.
        throw new MalformedEncodingException(field + " exceeds 2^63-1");
      }
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new MalformedEncodingException("non-minimal varint in " + field);
        }
        return value;
      }
    }
    throw new MalformedEncodingException(field + " varint longer than 10 bytes");
  }

  /** A varint count of list items, rejected above {@code max} before anything is allocated. */
  public int count(int max, String field) {
    long count = varint(field);
    if (count > max) {
      throw new MalformedEncodingException(field + " count " + count + " exceeds limit " + max);
    }
    return (int) count;
  }

  public byte[] bytes(int length, String field) {
    need(length, field);
    byte[] out = new byte[length];
    System.arraycopy(data, position, out, 0, length);
    position += length;
    return out;
  }

  public Hash hash(String field) {
    return Hash.wrap(bytes(Hash.SIZE, field));
  }

  public Address address(String field) {
    return Address.of(bytes(Address.SIZE, field));
  }

  public int u32(String field) {
    need(4, field);
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (data[position++] & 0xff);
    }
    return value;
  }

  public long u64(String field) {
    need(8, field);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (data[position++] & 0xff);
    }
    return value;
  }

  /** Rejects trailing bytes. */
  public void expectEnd(String what) {
    if (position != data.length) {
      throw new MalformedEncodingException(
          (data.length - position) + " trailing bytes after " + what);
    }
  }
}
