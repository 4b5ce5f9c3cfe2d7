package io.meshwork.networking.multiformats;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultihashTest {
  @Test
  void hashesWithSha256() {
    // multihash spec example: sha2-256 of "multihash".
    Multihash hash = Multihash.sha256Of("multihash".getBytes(US_ASCII));
    assertThat(HexFormat.of().formatHex(hash.toBytes()))
        .isEqualTo("12209cbc07c3f991725836a3aa2a581ca2029198aa420b9d99bc0e131d9f3e2cbe47");
    assertThat(Multihash.decode(hash.toBytes())).isEqualTo(hash);
  }

  @Test
  void identityKeepsTheData() {
    Multihash hash = Multihash.identity(new byte[] {1, 2, 3});
    assertThat(hash.toBytes()).isEqualTo(new byte[] {0, 3, 1, 2, 3});
    assertThat(hash.digest()).isEqualTo(new byte[] {1, 2, 3});
  }

  @Test
  void rejectsLengthMismatchAndTrailingBytes() {
    assertThatThrownBy(() -> Multihash.decode(new byte[] {0x12, 0x20, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multihash.decode(new byte[] {0x00, 0x01, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multihash.decode(new byte[] {0x12}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
