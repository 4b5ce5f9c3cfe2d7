package io.meshwork.networking.reqresp;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes one frame, {@code uvarint(n) ‖ n bytes of snappy raw block}, incrementally
 * (docs/protocols/reqresp.md, "Frame"). Both {@code n} and the uncompressed length declared at the
 * start of the block are checked against the cap as soon as they arrive, before a buffer for them
 * is allocated or anything is decompressed; the block buffer grows with the bytes that arrive.
 *
 * <p>Sans-IO and single-threaded: one instance per stream, fed from that stream's reader callbacks
 * (the event loop). It copies what it needs, so the fed buffers stay the caller's.
 */
public final class FrameDecoder {
  /** The longest varint accepted (values below 2^31). */
  static final int MAX_VARINT_BYTES = 5;

  private static final int INITIAL_BLOCK_BUFFER = 64 * 1024;

  /** What the decoder has got to. */
  public sealed interface Result {}

  /** The frame is not complete yet. */
  public record NeedsMore() implements Result {}

  /** The complete frame's payload; the array is the caller's. */
  public record Frame(byte[] payload) implements Result {}

  /**
   * The input breaks the format; decoding is over.
   *
   * @param tooLarge whether the frame declared more than the cap (else it is malformed)
   */
  public record Error(boolean tooLarge, String reason) implements Result {}

  private static final NeedsMore NEEDS_MORE = new NeedsMore();

  private final int maxPayloadBytes;
  private final int maxBlockBytes;
  private int lengthValue;
  private int lengthBytes;
  private int blockLength = -1;
  private byte[] block;
  private int filled;
  private boolean declaredChecked;
  private Result outcome;
  private long bytesRead;

  /** A decoder for a frame whose payload is at most {@code maxPayloadBytes} uncompressed. */
  public FrameDecoder(int maxPayloadBytes) {
    if (maxPayloadBytes < 0 || maxPayloadBytes > ReqRespProtocol.MAX_CAP) {
      throw new IllegalArgumentException("cap out of range: " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxBlockBytes = FrameEncoder.maxCompressedLength(maxPayloadBytes);
  }

  /**
   * Consumes all of {@code data}. Returns the frame once it is complete (and again while no more
   * bytes come), an error for bytes that break the format (including any byte after the frame), or
   * {@link NeedsMore}. After an error, returns that error.
   */
  public Result feed(ByteBuffer data) {
    if (outcome instanceof Error) {
      data.position(data.limit());
      return outcome;
    }
    bytesRead += data.remaining();
    while (data.hasRemaining()) {
      if (outcome != null) {
        data.position(data.limit());
        return fail(false, "trailing bytes after the frame");
      }
      Result step = blockLength < 0 ? readLength(data) : readBlock(data);
      if (step != null) {
        outcome = step;
        if (step instanceof Error) {
          data.position(data.limit());
          return step;
        }
      }
    }
    return outcome != null ? outcome : NEEDS_MORE;
  }

  /** The input ended: the frame if it was complete, else an error saying it was truncated. */
  public Result finish() {
    if (outcome != null) {
      return outcome;
    }
    return fail(
        false,
        blockLength < 0
            ? "truncated frame: " + (lengthBytes == 0 ? "no bytes" : "partial length prefix")
            : "truncated frame: " + filled + " of " + blockLength + " bytes");
  }

  /** Bytes fed so far (for metrics). */
  public long bytesRead() {
    return bytesRead;
  }

  private Result readLength(ByteBuffer data) {
    int b = data.get() & 0xFF;
    if (lengthBytes == MAX_VARINT_BYTES - 1 && (b & 0xF8) != 0) {
      return new Error(false, "frame length varint longer than 5 bytes or above 2^31-1");
    }
    lengthValue |= (b & 0x7F) << (7 * lengthBytes);
    lengthBytes++;
    if ((b & 0x80) != 0) {
      return null;
    }
    if (lengthValue > maxBlockBytes) {
      return new Error(
          true,
          "frame of "
              + lengthValue
              + " compressed bytes exceeds the bound "
              + maxBlockBytes
              + " for a cap of "
              + maxPayloadBytes
              + " bytes");
    }
    if (lengthValue == 0) {
      return new Error(false, "empty snappy block");
    }
    blockLength = lengthValue;
    block = new byte[Math.min(blockLength, INITIAL_BLOCK_BUFFER)];
    return null;
  }

  private Result readBlock(ByteBuffer data) {
    int n = Math.min(data.remaining(), blockLength - filled);
    if (filled + n > block.length) {
      block =
          Arrays.copyOf(
              block, (int) Math.min(blockLength, Math.max(2L * block.length, filled + n)));
    }
    data.get(block, filled, n);
    filled += n;
    if (!declaredChecked) {
      Result declared = checkDeclaredLength();
      if (declared != null) {
        return declared;
      }
    }
    return filled == blockLength ? decompress() : null;
  }

  /** Checks the uncompressed length at the start of the block as soon as its varint is whole. */
  private Result checkDeclaredLength() {
    long value = 0;
    for (int i = 0; i < filled; i++) {
      int b = block[i] & 0xFF;
      if (i == MAX_VARINT_BYTES - 1 && (b & 0xF8) != 0) {
        return new Error(false, "snappy length varint longer than 5 bytes or above 2^31-1");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        declaredChecked = true;
        if (value > maxPayloadBytes) {
          return new Error(
              true,
              "frame declares "
                  + value
                  + " uncompressed bytes, over the cap of "
                  + maxPayloadBytes);
        }
        return null;
      }
    }
    return filled == blockLength ? new Error(false, "snappy block ends inside its length") : null;
  }

  private Result decompress() {
    int declared = SnappyDecompressor.getUncompressedLength(block, 0);
    byte[] payload = new byte[declared];
    try {
      int length =
          new SnappyDecompressor().decompress(block, 0, blockLength, payload, 0, payload.length);
      if (length != declared) {
        return new Error(
            false, "snappy block decompressed to " + length + " bytes, declared " + declared);
      }
    } catch (MalformedInputException e) {
      return new Error(false, "corrupt snappy block: " + e.getMessage());
    } catch (RuntimeException e) {
      // Whatever else garbage makes the decompressor throw is the peer's fault, not a crash.
      return new Error(false, "corrupt snappy block: " + e);
    } finally {
      block = null; // the compressed bytes are not needed any more
    }
    return new Frame(payload);
  }

  private Result fail(boolean tooLarge, String reason) {
    outcome = new Error(tooLarge, reason);
    return outcome;
  }
}
