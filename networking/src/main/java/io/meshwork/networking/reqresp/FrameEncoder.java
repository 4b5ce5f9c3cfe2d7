package io.meshwork.networking.reqresp;

import io.airlift.compress.snappy.SnappyCompressor;

/**
 * Encodes frames, {@code uvarint(n) ‖ n bytes of snappy raw block} (docs/protocols/reqresp.md,
 * "Frame"). Sans-IO and stateless; thread-safe (a compressor per call, they are cheap).
 */
public final class FrameEncoder {
  private FrameEncoder() {}

  /** The frame carrying {@code payload}. */
  public static byte[] encode(byte[] payload) {
    return encode(new byte[0], payload);
  }

  /** {@code code ‖ frame(payload)}, a whole response. */
  public static byte[] encodeResponse(Response response) {
    return encode(new byte[] {(byte) response.code().wire()}, response.payload());
  }

  /** Snappy's bound on the compressed size of {@code uncompressed} bytes. */
  public static int maxCompressedLength(int uncompressed) {
    return new SnappyCompressor().maxCompressedLength(uncompressed);
  }

  private static byte[] encode(byte[] prefix, byte[] payload) {
    SnappyCompressor compressor = new SnappyCompressor();
    byte[] block = new byte[compressor.maxCompressedLength(payload.length)];
    int n = compressor.compress(payload, 0, payload.length, block, 0, block.length);
    int header = prefix.length + uvarintSize(n);
    byte[] frame = new byte[header + n];
    System.arraycopy(prefix, 0, frame, 0, prefix.length);
    writeUvarint(n, frame, prefix.length);
    System.arraycopy(block, 0, frame, header, n);
    return frame;
  }

  static int uvarintSize(int value) {
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  private static void writeUvarint(int value, byte[] out, int offset) {
    while ((value & ~0x7F) != 0) {
      out[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[offset] = (byte) value;
  }
}
