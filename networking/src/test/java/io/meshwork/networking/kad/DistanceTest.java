package io.meshwork.networking.kad;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DistanceTest {
  @Provide
  Arbitrary<KadKey> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(KadKey::fromHash);
  }

  @Test
  void keysAreTheSha256OfTheirBytes() {
    // sha256("") is a well-known constant
    assertThat(KadKey.of(new byte[0]))
        .isEqualTo(
            KadKey.fromHash(
                HexFormat.of()
                    .parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
  }

  @Test
  void bucketIndexIsThePositionOfTheHighestDifferingBit() {
    byte[] zero = new byte[32];
    byte[] top = new byte[32];
    top[0] = (byte) 0x80;
    byte[] low = new byte[32];
    low[31] = 1;
    byte[] middle = new byte[32];
    middle[1] = 0x10; // bit 8 + 3 from the top
    KadKey origin = KadKey.fromHash(zero);
    assertThat(origin.distanceTo(KadKey.fromHash(top)).bucketIndex()).isEqualTo(255);
    assertThat(origin.distanceTo(KadKey.fromHash(low)).bucketIndex()).isZero();
    assertThat(origin.distanceTo(KadKey.fromHash(middle)).leadingZeros()).isEqualTo(11);
    assertThat(origin.distanceTo(KadKey.fromHash(middle)).bucketIndex()).isEqualTo(244);
    assertThat(origin.distanceTo(origin).bucketIndex()).isEqualTo(-1);
    assertThat(origin.distanceTo(origin).isZero()).isTrue();
  }

  @Property
  void distanceIsSymmetricAndZeroOnlyToItself(@ForAll("keys") KadKey a, @ForAll("keys") KadKey b) {
    assertThat(a.distanceTo(b)).isEqualTo(b.distanceTo(a));
    assertThat(a.distanceTo(a).isZero()).isTrue();
    assertThat(a.distanceTo(b).isZero()).isEqualTo(a.equals(b));
  }

  @Property
  void distancesComposeByXor(
      @ForAll("keys") KadKey a, @ForAll("keys") KadKey b, @ForAll("keys") KadKey c) {
    BigInteger ab = a.distanceTo(b).toBigInteger();
    BigInteger bc = b.distanceTo(c).toBigInteger();
    assertThat(a.distanceTo(c).toBigInteger()).isEqualTo(ab.xor(bc));
    // triangle inequality holds for XOR
    assertThat(a.distanceTo(c).toBigInteger()).isLessThanOrEqualTo(ab.add(bc));
  }

  @Property
  void orderAndBucketAgreeWithTheInteger(
      @ForAll("keys") KadKey a, @ForAll("keys") KadKey b, @ForAll("keys") KadKey c) {
    Distance ab = a.distanceTo(b);
    Distance ac = a.distanceTo(c);
    assertThat(Integer.signum(ab.compareTo(ac)))
        .isEqualTo(ab.toBigInteger().compareTo(ac.toBigInteger()));
    assertThat(ab.bucketIndex()).isEqualTo(ab.toBigInteger().bitLength() - 1);
  }
}
