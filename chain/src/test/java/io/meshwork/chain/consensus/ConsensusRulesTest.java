package io.meshwork.chain.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ConsensusRulesTest {
  private final ConsensusParams params = ConsensusParams.testnet();

  @Property(tries = 200)
  void compactTargetIsCanonicalAndNeverEasierThanTheInput(
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long hashes) {
    BigInteger target = CompactTarget.forExpectedHashes(hashes);
    int bits = CompactTarget.encode(target);
    BigInteger decoded = CompactTarget.decode(bits).orElseThrow();
    assertThat(decoded).isLessThanOrEqualTo(target);
    assertThat(CompactTarget.encode(decoded)).isEqualTo(bits);
  }

  @Test
  void rejectsNonCanonicalCompactTargets() {
    assertThat(CompactTarget.decode(0x1d00ffff)).isPresent();
    assertThat(CompactTarget.decode(0x1e0000ff)).as("unnormalised mantissa").isEmpty();
    assertThat(CompactTarget.decode(0x1d800000)).as("sign bit").isEmpty();
    assertThat(CompactTarget.decode(0x1d000000)).as("zero").isEmpty();
    assertThat(CompactTarget.decode(0xff00ffff)).as("beyond 256 bits").isEmpty();
  }

  @Test
  void minedHeaderPassesProofOfWorkAndAnotherNonceUsuallyFails() {
    BlockHeader template =
        new BlockHeader(Hash.ZERO, 1, 1000, Hash.ZERO, Hash.ZERO, params.powLimitBits(), 0);
    BlockHeader mined = Miner.mine(template, 0, 1_000_000).orElseThrow();
    ProofOfWork pow = new ProofOfWork(params);
    assertThat(pow.check(mined)).isEmpty();
    int failures = 0;
    for (long n = mined.nonce() + 1; n < mined.nonce() + 20; n++) {
      failures += pow.check(mined.withNonce(n)).isPresent() ? 1 : 0;
    }
    assertThat(failures).isGreaterThan(10);
  }

  @Test
  void rejectsTargetEasierThanTheNetworkLimit() {
    int easier = CompactTarget.encode(params.powLimit().shiftLeft(4));
    BlockHeader header = new BlockHeader(Hash.ZERO, 1, 1000, Hash.ZERO, Hash.ZERO, easier, 0);
    BlockHeader mined = Miner.mine(header, 0, 1_000_000).orElseThrow();
    assertThat(new ProofOfWork(params).check(mined))
        .contains("target easier than the network's limit");
  }

  private static Map<Hash, BlockHeader> chainWithSpacing(
      long spacing, int blocks, int bits, Map<Hash, BlockHeader> into) {
    BlockHeader previous = new BlockHeader(Hash.ZERO, 0, 0, Hash.ZERO, Hash.ZERO, bits, 0);
    into.put(previous.hash(), previous);
    for (int i = 1; i <= blocks; i++) {
      previous = new BlockHeader(previous.hash(), i, i * spacing, Hash.ZERO, Hash.ZERO, bits, 0);
      into.put(previous.hash(), previous);
    }
    return into;
  }

  private BlockHeader tip(Map<Hash, BlockHeader> headers) {
    return headers.values().stream()
        .max((a, b) -> Long.compare(a.height(), b.height()))
        .orElseThrow();
  }

  @Test
  void retargetHardensWhenBlocksComeTooFastAndEasesWhenTooSlow() {
    int bits = CompactTarget.encode(params.powLimit().shiftRight(8));
    DifficultyRetarget retarget = new DifficultyRetarget(params);
    BigInteger current = CompactTarget.decode(bits).orElseThrow();

    Map<Hash, BlockHeader> fast =
        chainWithSpacing(params.targetSpacingMillis() / 10, 20, bits, new HashMap<>());
    BigInteger afterFast =
        CompactTarget.decode(retarget.nextBits(tip(fast), h -> Optional.ofNullable(fast.get(h))))
            .orElseThrow();
    assertThat(afterFast).isLessThan(current);

    Map<Hash, BlockHeader> slow =
        chainWithSpacing(params.targetSpacingMillis() * 10, 20, bits, new HashMap<>());
    BigInteger afterSlow =
        CompactTarget.decode(retarget.nextBits(tip(slow), h -> Optional.ofNullable(slow.get(h))))
            .orElseThrow();
    assertThat(afterSlow).isGreaterThan(current);

    Map<Hash, BlockHeader> onPace =
        chainWithSpacing(params.targetSpacingMillis(), 20, bits, new HashMap<>());
    assertThat(retarget.nextBits(tip(onPace), h -> Optional.ofNullable(onPace.get(h))))
        .isEqualTo(bits);
  }

  @Test
  void retargetConvergesOnTheTargetSpacingForASteadyHashRate() {
    DifficultyRetarget retarget = new DifficultyRetarget(params);
    Map<Hash, BlockHeader> headers = new HashMap<>();
    BlockHeader tip =
        new BlockHeader(Hash.ZERO, 0, 0, Hash.ZERO, Hash.ZERO, params.powLimitBits(), 0);
    headers.put(tip.hash(), tip);
    double hashesPerMilli = 40; // two nodes mining 20,000 hashes/s each: ~2% of a core apiece
    List<Long> gaps = new ArrayList<>();
    for (int height = 1; height <= 400; height++) {
      int bits = retarget.nextBits(tip, h -> Optional.ofNullable(headers.get(h)));
      long gap = Math.max(1, Math.round(ProofOfWork.work(bits).doubleValue() / hashesPerMilli));
      gaps.add(gap);
      tip =
          new BlockHeader(
              tip.hash(), height, tip.timestampMillis() + gap, Hash.ZERO, Hash.ZERO, bits, 0);
      headers.put(tip.hash(), tip);
    }
    double recent =
        gaps.subList(300, 400).stream().mapToLong(Long::longValue).average().orElseThrow();
    assertThat(recent)
        .isBetween(0.8 * params.targetSpacingMillis(), 1.2 * params.targetSpacingMillis());
  }

  @Test
  void retargetNeverExceedsTheLimit() {
    DifficultyRetarget retarget = new DifficultyRetarget(params);
    Map<Hash, BlockHeader> slow =
        chainWithSpacing(
            params.targetSpacingMillis() * 100, 20, params.powLimitBits(), new HashMap<>());
    assertThat(retarget.nextBits(tip(slow), h -> Optional.ofNullable(slow.get(h))))
        .isEqualTo(params.powLimitBits());
  }

  @Test
  void medianTimePastIsTheMedianOfTheLastElevenTimestamps() {
    Map<Hash, BlockHeader> headers =
        chainWithSpacing(10, 30, params.powLimitBits(), new HashMap<>());
    // timestamps of heights 20..30 are 200..300: the median is 250
    assertThat(MedianTimePast.of(tip(headers), h -> Optional.ofNullable(headers.get(h))))
        .isEqualTo(250);
  }

  @Test
  void moreWorkForHarderTargets() {
    BigInteger easy = CompactTarget.forExpectedHashes(100);
    BigInteger hard = CompactTarget.forExpectedHashes(10_000);
    assertThat(CompactTarget.work(hard)).isGreaterThan(CompactTarget.work(easy));
    assertThat(CompactTarget.work(easy)).isBetween(BigInteger.valueOf(99), BigInteger.valueOf(101));
  }
}
