package io.meshwork.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.model.CanonicalWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnappyTest {
  @Test
  void decompressesWhatItCompressed() {
    byte[] data = new byte[10_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 17);
    }
    byte[] compressed = Snappy.compress(data);
    assertThat(compressed.length).isLessThan(data.length / 4);
    assertThat(Snappy.decompress(compressed, data.length)).isEqualTo(data);
  }

  @Test
  void roundTripsEmptyInput() {
    assertThat(Snappy.decompress(Snappy.compress(new byte[0]), 0)).isEmpty();
  }

  @Test
  void rejectsABlockDeclaringMoreThanTheCap() {
    byte[] compressed = Snappy.compress(new byte[1001]);
    assertThatThrownBy(() -> Snappy.decompress(compressed, 1000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("declared length 1001 exceeds the limit of 1000");
  }

  @Test
  void rejectsASnappyBombBeforeAllocatingItsDeclaredLength() {
    // Declares 2^31-1 bytes in a handful of input bytes: allocating that would exhaust the heap.
    byte[] bomb =
        new CanonicalWriter(8).varint(Integer.MAX_VALUE).bytes(new byte[] {0, 0}).toByteArray();
    assertThatThrownBy(() -> Snappy.decompress(bomb, 1 << 20))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void rejectsADeclaredLengthOverTwoToTheThirtyOne() {
    byte[] bomb = new CanonicalWriter(8).varint(0xFFFF_FFFFL).toByteArray();
    assertThatThrownBy(() -> Snappy.decompress(bomb, 1 << 20))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void rejectsACorruptBlock() {
    byte[] compressed = Snappy.compress(new byte[500]);
    byte[] truncated = Arrays.copyOf(compressed, compressed.length - 1);
    assertThatThrownBy(() -> Snappy.decompress(truncated, 1000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("snappy:");
  }

  @Test
  void rejectsEmptyInput() {
    assertThatThrownBy(() -> Snappy.decompress(new byte[0], 1000))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("empty");
  }
}
