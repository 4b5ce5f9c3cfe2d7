package io.meshwork.sync.wire;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.function.Consumer;

/** Shared strictness checks for decoders. */
final class WireAssertions {
  private WireAssertions() {}

  /** Every proper prefix of {@code encoding} is rejected with a WireFormatException. */
  static void rejectsEveryTruncation(byte[] encoding, Consumer<byte[]> decoder) {
    for (int length = 0; length < encoding.length; length++) {
      byte[] prefix = Arrays.copyOf(encoding, length);
      assertThatThrownBy(() -> decoder.accept(prefix))
          .as("prefix of %d of %d bytes", length, encoding.length)
          .isInstanceOf(WireFormatException.class)
          .hasMessageNotContaining("\n");
    }
  }

  /** {@code encoding} followed by one more byte is rejected as trailing bytes. */
  static void rejectsTrailingBytes(byte[] encoding, Consumer<byte[]> decoder) {
    byte[] longer = Arrays.copyOf(encoding, encoding.length + 1);
    assertThatThrownBy(() -> decoder.accept(longer))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("trailing");
  }
}
