package io.meshwork.chain.mempool;

/**
 * Mempool limits.
 *
 * @param maxTransactions the most transactions held
 * @param maxBytes the most encoded bytes held
 * @param maxNonceGap how far ahead of an account's nonce a transaction may be
 */
public record MempoolConfig(int maxTransactions, long maxBytes, int maxNonceGap) {
  public MempoolConfig {
    if (maxTransactions <= 0 || maxBytes <= 0 || maxNonceGap < 0) {
      throw new IllegalArgumentException("mempool limits must be positive");
    }
  }

  public static MempoolConfig defaults() {
    return new MempoolConfig(20_000, 4L << 20, 64);
  }
}
