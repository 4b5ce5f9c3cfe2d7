package io.meshwork.networking.multiformats;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Base58Test {
  @Test
  void encodesKnownValues() {
    // Vectors from the base58 IETF draft (draft-msporny-base58).
    assertThat(Base58.encode("Hello World!".getBytes(US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
    assertThat(Base58.encode(new byte[] {0, 0, 0x28, 0x7f, (byte) 0xb4, (byte) 0xcd}))
        .isEqualTo("11233QC4");
    assertThat(Base58.encode(new byte[0])).isEmpty();
  }

  @Test
  void decodesLeadingOnesAsZeroBytes() {
    assertThat(Base58.decode("11233QC4"))
        .isEqualTo(new byte[] {0, 0, 0x28, 0x7f, (byte) 0xb4, (byte) 0xcd});
  }

  @Test
  void rejectsCharactersOutsideTheAlphabet() {
    for (String bad : new String[] {"0", "O", "I", "l", "abc+", "é"}) {
      assertThatThrownBy(() -> Base58.decode(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("base58");
    }
  }

  @Property
  void roundTrips(@ForAll @Size(max = 80) byte[] data) {
    assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
  }
}
