package io.meshwork.networking.reqresp;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.snappy.SnappyCompressor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private static final int CAP = 4096;

  private static byte[] payload(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    // half random, half repetitive, so snappy emits both literals and copies
    Arrays.fill(bytes, size / 2, size, (byte) 7);
    return bytes;
  }

  private static FrameDecoder.Result decodeWhole(byte[] frame, int cap) {
    FrameDecoder decoder = new FrameDecoder(cap);
    FrameDecoder.Result fed = decoder.feed(ByteBuffer.wrap(frame));
    return fed instanceof FrameDecoder.Error ? fed : decoder.finish();
  }

  /** uvarint(n) ‖ block, for hand-made blocks. */
  private static byte[] frameOf(byte[] block) {
    byte[] prefix = uvarint(block.length);
    byte[] frame = Arrays.copyOf(prefix, prefix.length + block.length);
    System.arraycopy(block, 0, frame, prefix.length, block.length);
    return frame;
  }

  private static byte[] uvarint(long value) {
    ByteBuffer out = ByteBuffer.allocate(10);
    while ((value & ~0x7FL) != 0) {
      out.put((byte) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.put((byte) value);
    return Arrays.copyOf(out.array(), out.position());
  }

  @Test
  void decodesAWholeFrameFedAtOnce() {
    byte[] payload = payload(3000);
    FrameDecoder.Result result = decodeWhole(FrameEncoder.encode(payload), CAP);
    assertThat(result)
        .isInstanceOfSatisfying(
            FrameDecoder.Frame.class, frame -> assertThat(frame.payload()).isEqualTo(payload));
  }

  @Test
  void decodesAnEmptyPayload() {
    assertThat(decodeWhole(FrameEncoder.encode(new byte[0]), CAP))
        .isInstanceOfSatisfying(
            FrameDecoder.Frame.class, frame -> assertThat(frame.payload()).isEmpty());
  }

  @Test
  void decodesTheSameFrameSplitAtEveryByte() {
    byte[] payload = payload(700);
    byte[] frame = FrameEncoder.encode(payload);
    for (int split = 0; split <= frame.length; split++) {
      FrameDecoder decoder = new FrameDecoder(CAP);
      assertThat(decoder.feed(ByteBuffer.wrap(frame, 0, split)))
          .as("after %d bytes", split)
          .isInstanceOf(
              split == frame.length ? FrameDecoder.Frame.class : FrameDecoder.NeedsMore.class);
      decoder.feed(ByteBuffer.wrap(frame, split, frame.length - split));
      assertThat(decoder.finish())
          .isInstanceOfSatisfying(
              FrameDecoder.Frame.class, f -> assertThat(f.payload()).isEqualTo(payload));
    }
  }

  @Test
  void decodesAFrameFedOneByteAtATime() {
    byte[] payload = payload(500);
    byte[] frame = FrameEncoder.encode(payload);
    FrameDecoder decoder = new FrameDecoder(CAP);
    for (byte b : frame) {
      assertThat(decoder.feed(ByteBuffer.wrap(new byte[] {b})))
          .isNotInstanceOf(FrameDecoder.Error.class);
    }
    assertThat(decoder.finish())
        .isInstanceOfSatisfying(
            FrameDecoder.Frame.class, f -> assertThat(f.payload()).isEqualTo(payload));
    assertThat(decoder.bytesRead()).isEqualTo(frame.length);
  }

  @Test
  void rejectsAFrameTruncatedAnywhere() {
    byte[] frame = FrameEncoder.encode(payload(300));
    for (int cut = 0; cut < frame.length; cut++) {
      FrameDecoder decoder = new FrameDecoder(CAP);
      decoder.feed(ByteBuffer.wrap(frame, 0, cut));
      assertThat(decoder.finish())
          .as("cut after %d bytes", cut)
          .isInstanceOfSatisfying(
              FrameDecoder.Error.class,
              error -> {
                assertThat(error.tooLarge()).isFalse();
                assertThat(error.reason()).contains("truncated");
              });
    }
  }

  @Test
  void rejectsACompressedLengthOverTheBoundForTheCapBeforeAllocatingIt() {
    byte[] prefix = uvarint(FrameEncoder.maxCompressedLength(CAP) + 1);
    FrameDecoder.Result result = new FrameDecoder(CAP).feed(ByteBuffer.wrap(prefix));
    assertThat(result)
        .isInstanceOfSatisfying(
            FrameDecoder.Error.class, error -> assertThat(error.tooLarge()).isTrue());
  }

  @Test
  void rejectsADeclaredUncompressedLengthOverTheCapBeforeDecompressing() {
    // A highly compressible payload one byte over the cap: the block is small, the declared length
    // is not. Only the length prefix and the block's first bytes are fed.
    byte[] frame = FrameEncoder.encode(new byte[CAP + 1]);
    FrameDecoder decoder = new FrameDecoder(CAP);
    int header = uvarint(frame.length - 2).length; // n fits in 1-2 bytes here
    FrameDecoder.Result result = decoder.feed(ByteBuffer.wrap(frame, 0, header + 2));
    assertThat(result)
        .isInstanceOfSatisfying(
            FrameDecoder.Error.class,
            error -> {
              assertThat(error.tooLarge()).isTrue();
              assertThat(error.reason()).contains(String.valueOf(CAP + 1));
            });
  }

  @Test
  void acceptsAPayloadOfExactlyTheCap() {
    byte[] payload = payload(CAP);
    assertThat(decodeWhole(FrameEncoder.encode(payload), CAP))
        .isInstanceOf(FrameDecoder.Frame.class);
  }

  @Test
  void rejectsGarbageSnappy() {
    // declares 10 bytes, then a copy tag pointing before the start of the output
    byte[] block = {10, 0x01 | (6 << 2), 0x7F};
    assertThat(decodeWhole(frameOf(block), CAP))
        .isInstanceOfSatisfying(
            FrameDecoder.Error.class, error -> assertThat(error.tooLarge()).isFalse());
  }

  @Test
  void rejectsABlockThatDecompressesToLessThanItDeclares() {
    byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[2 + text.length];
    block[0] = 9; // declares 9 bytes
    block[1] = (byte) ((text.length - 1) << 2); // a literal of 5
    System.arraycopy(text, 0, block, 2, text.length);
    assertThat(decodeWhole(frameOf(block), CAP)).isInstanceOf(FrameDecoder.Error.class);
  }

  @Test
  void rejectsRandomBytesAsABlockWithoutThrowing() {
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      byte[] block = new byte[1 + random.nextInt(64)];
      random.nextBytes(block);
      block[0] = (byte) random.nextInt(100); // a small declared length, under the cap
      FrameDecoder.Result result = decodeWhole(frameOf(block), CAP);
      assertThat(result).isNotNull(); // an Error or, by chance, a valid Frame: never an exception
    }
  }

  @Test
  void rejectsALengthVarintLongerThanFiveBytes() {
    byte[] overlong = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
    assertThat(new FrameDecoder(CAP).feed(ByteBuffer.wrap(overlong)))
        .isInstanceOfSatisfying(
            FrameDecoder.Error.class, error -> assertThat(error.reason()).contains("5 bytes"));
  }

  @Test
  void rejectsAnOverlongVarintInsideTheSnappyBlock() {
    byte[] block = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00, 0x00};
    assertThat(decodeWhole(frameOf(block), CAP)).isInstanceOf(FrameDecoder.Error.class);
  }

  @Test
  void rejectsTrailingBytesInTheSameBuffer() {
    byte[] frame = FrameEncoder.encode(payload(100));
    byte[] withTrailer = Arrays.copyOf(frame, frame.length + 1);
    assertThat(new FrameDecoder(CAP).feed(ByteBuffer.wrap(withTrailer)))
        .isInstanceOfSatisfying(
            FrameDecoder.Error.class, error -> assertThat(error.reason()).contains("trailing"));
  }

  @Test
  void rejectsTrailingBytesInALaterBufferAndStaysFailed() {
    FrameDecoder decoder = new FrameDecoder(CAP);
    assertThat(decoder.feed(ByteBuffer.wrap(FrameEncoder.encode(payload(100)))))
        .isInstanceOf(FrameDecoder.Frame.class);
    assertThat(decoder.feed(ByteBuffer.wrap(new byte[] {0})))
        .isInstanceOf(FrameDecoder.Error.class);
    assertThat(decoder.finish()).isInstanceOf(FrameDecoder.Error.class);
  }

  @Test
  void consumesEveryFedByteEvenOnError() {
    ByteBuffer garbage =
        ByteBuffer.wrap(
            new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2});
    new FrameDecoder(CAP).feed(garbage);
    assertThat(garbage.hasRemaining()).isFalse();
  }

  @Test
  void encodesTheBlockAsPlainSnappyRaw() {
    byte[] payload = payload(1000);
    byte[] frame = FrameEncoder.encode(payload);
    SnappyCompressor compressor = new SnappyCompressor();
    byte[] block = new byte[compressor.maxCompressedLength(payload.length)];
    int n = compressor.compress(payload, 0, payload.length, block, 0, block.length);
    assertThat(frame).isEqualTo(frameOf(Arrays.copyOf(block, n)));
  }
}
