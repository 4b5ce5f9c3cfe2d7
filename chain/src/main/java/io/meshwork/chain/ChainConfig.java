package io.meshwork.chain;

import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.mempool.MempoolConfig;

/**
 * How a chain instance runs.
 *
 * @param genesis the network
 * @param maxReorgDepth the most blocks a reorganisation may undo
 * @param maxOrphans how many blocks with an unknown parent are held
 * @param maxOrphanBytes their total encoded size limit
 * @param invalidCacheSize how many invalid block hashes are remembered
 * @param blockCacheSize how many recent blocks are kept decoded in memory
 * @param mempool mempool limits
 */
public record ChainConfig(
    GenesisConfig genesis,
    int maxReorgDepth,
    int maxOrphans,
    long maxOrphanBytes,
    int invalidCacheSize,
    int blockCacheSize,
    MempoolConfig mempool) {

  public ChainConfig {
    if (maxReorgDepth < 0 || maxOrphans < 0 || maxOrphanBytes < 0 || invalidCacheSize <= 0) {
      throw new IllegalArgumentException("chain limits must not be negative");
    }
  }

  /** Defaults: reorganisations up to 1,000 blocks, 256 orphans up to 32 MiB. */
  public static ChainConfig defaults(GenesisConfig genesis) {
    return new ChainConfig(genesis, 1_000, 256, 32L << 20, 10_000, 256, MempoolConfig.defaults());
  }

  public ChainConfig withMaxReorgDepth(int depth) {
    return new ChainConfig(
        genesis, depth, maxOrphans, maxOrphanBytes, invalidCacheSize, blockCacheSize, mempool);
  }

  public ChainConfig withMempool(MempoolConfig newMempool) {
    return new ChainConfig(
        genesis,
        maxReorgDepth,
        maxOrphans,
        maxOrphanBytes,
        invalidCacheSize,
        blockCacheSize,
        newMempool);
  }
}
