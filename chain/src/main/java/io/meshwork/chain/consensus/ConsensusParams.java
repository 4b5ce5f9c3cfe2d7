package io.meshwork.chain.consensus;

import java.math.BigInteger;

/**
 * The rules a network agrees on, fixed in its genesis config.
 *
 * @param powLimitBits the easiest target allowed (compact form)
 * @param targetSpacingMillis the intended time between blocks
 * @param retargetWindow how many blocks back the retarget measures elapsed time
 * @param maxFutureDriftMillis how far past the local clock a timestamp may be
 * @param maxBlockBytes the largest block encoding accepted
 * @param maxTransactionsPerBlock the longest transaction list accepted
 * @param minFee the smallest fee a transaction may pay
 */
public record ConsensusParams(
    int powLimitBits,
    long targetSpacingMillis,
    int retargetWindow,
    long maxFutureDriftMillis,
    int maxBlockBytes,
    int maxTransactionsPerBlock,
    long minFee) {

  /** Timestamps must exceed the median of this many previous blocks (Bitcoin's value). */
  public static final int MEDIAN_TIME_SPAN = 11;

  public ConsensusParams {
    if (CompactTarget.decode(powLimitBits).isEmpty()) {
      throw new IllegalArgumentException("powLimitBits is not a canonical target");
    }
    if (targetSpacingMillis <= 0 || retargetWindow <= 0 || maxFutureDriftMillis < 0) {
      throw new IllegalArgumentException("spacing, window must be positive, drift non-negative");
    }
    if (maxBlockBytes <= 0 || maxTransactionsPerBlock <= 0 || minFee < 0) {
      throw new IllegalArgumentException("block limits must be positive and minFee non-negative");
    }
  }

  public BigInteger powLimit() {
    return CompactTarget.decode(powLimitBits).orElseThrow();
  }

  /**
   * A local testnet: blocks every 5 s; the easiest target takes about 2,000 hashes (2 ms of one
   * core, which hashes about 1.1 million headers per second). Nodes should mine in bounded slices
   * ({@code Chain.produceBlock(maxAttempts)}) at a fixed budget, e.g. 2,000 attempts every 100 ms
   * (about 2% of a core); the retarget then settles where the testnet's total budget finds a block
   * every 5 s (with two such nodes: about 200,000 hashes per block), so the proof of work is real
   * and cumulative work meaningful, at negligible CPU. Mining flat out would only raise the
   * difficulty.
   */
  public static ConsensusParams testnet() {
    return new ConsensusParams(
        CompactTarget.encode(CompactTarget.forExpectedHashes(2_000)),
        5_000,
        10,
        15_000,
        1 << 20,
        5_000,
        1);
  }

  /** Trivial proof of work (about two hashes per block) for unit tests and benchmarks. */
  public static ConsensusParams forTests() {
    return new ConsensusParams(
        CompactTarget.encode(CompactTarget.forExpectedHashes(2)),
        1_000,
        10,
        15_000,
        1 << 20,
        5_000,
        1);
  }
}
