package io.meshwork.sync.mining;

import java.time.Duration;

/**
 * How hard and how often a {@link MiningLoop} mines.
 *
 * @param hashesPerSecond the hash budget; each slice tries {@code hashesPerSecond * slice} nonces
 * @param slice how often a slice runs (a fresh block template each time)
 */
public record MiningConfig(long hashesPerSecond, Duration slice) {
  public MiningConfig {
    if (hashesPerSecond <= 0 || slice.isNegative() || slice.isZero()) {
      throw new IllegalArgumentException("hash budget and slice must be positive");
    }
  }

  /**
   * 20,000 hashes per second in 100 ms slices (about 2% of a core): at a 2 s block interval the
   * retarget settles one such miner at about 40,000 expected hashes per block.
   */
  public static MiningConfig defaults() {
    return new MiningConfig(20_000, Duration.ofMillis(100));
  }

  /** Nonces one slice tries (at least one). */
  public long attemptsPerSlice() {
    return Math.max(1, hashesPerSecond * slice.toMillis() / 1000);
  }
}
