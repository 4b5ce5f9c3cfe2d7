package io.meshwork.networking.multiformats;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MultibaseTest {
  private static final byte[] YES = "yes mani !".getBytes(US_ASCII);

  @Test
  void decodesMultibaseSpecVectors() {
    // Test vectors from the multibase spec (test/basic.csv, "yes mani !").
    assertThat(Multibase.decode("f796573206d616e692021")).isEqualTo(YES);
    assertThat(Multibase.decode("F796573206D616E692021")).isEqualTo(YES);
    assertThat(Multibase.decode("bpfsxgidnmfxgsibb")).isEqualTo(YES);
    assertThat(Multibase.decode("BPFSXGIDNMFXGSIBB")).isEqualTo(YES);
    assertThat(Multibase.decode("z7paNL19xttacUY")).isEqualTo(YES);
    assertThat(Multibase.decode("meWVzIG1hbmkgIQ")).isEqualTo(YES);
    assertThat(Multibase.decode("MeWVzIG1hbmkgIQ==")).isEqualTo(YES);
    assertThat(Multibase.decode("ueWVzIG1hbmkgIQ")).isEqualTo(YES);
  }

  @Test
  void encodesWithThePrefix() {
    assertThat(Multibase.encode('b', YES)).isEqualTo("bpfsxgidnmfxgsibb");
    assertThat(Multibase.encode('z', YES)).isEqualTo("z7paNL19xttacUY");
    assertThat(Multibase.encode('m', YES)).isEqualTo("meWVzIG1hbmkgIQ");
  }

  @Test
  void rejectsUnknownPrefixAndBadCharacters() {
    assertThatThrownBy(() -> Multibase.decode("q123")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("b1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("fxyz")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("meWVzIG1hbmkgIQ=="))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void roundTripsInEveryBase(@ForAll @Size(max = 64) byte[] data) {
    for (char base : "zbBfFmMuU".toCharArray()) {
      assertThat(Multibase.decode(Multibase.encode(base, data))).isEqualTo(data);
    }
  }
}
