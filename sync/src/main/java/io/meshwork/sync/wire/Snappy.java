package io.meshwork.sync.wire;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.util.Arrays;

/**
 * Raw snappy blocks (no framing format), as gossip payloads use them (chain-gossip.md, "Payload and
 * message id"). Stateless and thread-safe.
 */
public final class Snappy {
  private Snappy() {}

  public static byte[] compress(byte[] data) {
    SnappyCompressor compressor = new SnappyCompressor();
    byte[] out = new byte[compressor.maxCompressedLength(data.length)];
    int length = compressor.compress(data, 0, data.length, out, 0, out.length);
    return Arrays.copyOf(out, length);
  }

  /**
   * Decompresses one raw snappy block.
   *
   * @param maxUncompressedBytes the cap on the block's declared length, checked before the output
   *     is allocated, so a small "bomb" cannot make us allocate more
   * @throws WireFormatException when the declared length is over the cap or the block is corrupt
   */
  public static byte[] decompress(byte[] data, int maxUncompressedBytes) {
    int declared = declaredLength(data);
    if (declared > maxUncompressedBytes) {
      throw new WireFormatException(
          "snappy: declared length "
              + declared
              + " exceeds the limit of "
              + maxUncompressedBytes
              + " bytes");
    }
    byte[] out = new byte[declared];
    int length;
    try {
      length = new SnappyDecompressor().decompress(data, 0, data.length, out, 0, out.length);
    } catch (RuntimeException e) {
      throw new WireFormatException("snappy: corrupt block: " + e.getMessage(), e);
    }
    if (length != declared) {
      throw new WireFormatException(
          "snappy: decompressed " + length + " bytes, declared " + declared);
    }
    return out;
  }

  /** The uncompressed length a raw snappy block declares in its leading varint. */
  public static int declaredLength(byte[] data) {
    if (data.length == 0) {
      throw new WireFormatException("snappy: empty block");
    }
    int declared;
    try {
      declared = SnappyDecompressor.getUncompressedLength(data, 0);
    } catch (RuntimeException e) {
      throw new WireFormatException("snappy: bad length header: " + e.getMessage(), e);
    }
    if (declared < 0) {
      throw new WireFormatException("snappy: declared length over 2^31-1");
    }
    return declared;
  }
}
