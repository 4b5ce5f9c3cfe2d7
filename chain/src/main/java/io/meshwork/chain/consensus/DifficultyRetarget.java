package io.meshwork.chain.consensus;

import io.meshwork.chain.model.BlockHeader;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The difficulty rule: every block retargets from its parent's target by the time the last {@code
 * retargetWindow} blocks took against the time they should have taken. The measured time is clamped
 * to [1/4, 4] of the expected time (so a few lying timestamps cannot swing it far) and damped by
 * averaging with the expected time 1:3, then the result is capped at the network's limit. A
 * per-block rule over a short window keeps a testnet responsive when nodes join and leave.
 * Thread-safe.
 */
public final class DifficultyRetarget {
  private final ConsensusParams params;
  private final BigInteger powLimit;

  public DifficultyRetarget(ConsensusParams params) {
    this.params = params;
    this.powLimit = params.powLimit();
  }

  /** The difficulty bits the child of {@code parent} must carry. */
  public int nextBits(BlockHeader parent, HeaderLookup lookup) {
    BlockHeader first = parent;
    int span = 0;
    while (span < params.retargetWindow() && first.height() > 0) {
      Optional<BlockHeader> previous = lookup.header(first.parent());
      if (previous.isEmpty()) {
        break;
      }
      first = previous.get();
      span++;
    }
    if (span == 0) {
      return parent.difficultyBits();
    }
    long expected = span * params.targetSpacingMillis();
    long actual = parent.timestampMillis() - first.timestampMillis();
    actual = Math.max(expected / 4, Math.min(expected * 4, actual));
    long damped = (3 * expected + actual) / 4;
    BigInteger parentTarget = CompactTarget.decode(parent.difficultyBits()).orElse(powLimit);
    BigInteger next =
        parentTarget.multiply(BigInteger.valueOf(damped)).divide(BigInteger.valueOf(expected));
    if (next.compareTo(powLimit) > 0) {
      next = powLimit;
    }
    if (next.signum() <= 0) {
      next = BigInteger.ONE;
    }
    return CompactTarget.encode(next);
  }
}
