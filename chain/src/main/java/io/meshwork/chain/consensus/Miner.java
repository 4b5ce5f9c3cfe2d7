package io.meshwork.chain.consensus;

import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * Searches nonces for a header that meets its own target. Sans-IO and bounded: each call tries at
 * most {@code maxAttempts} nonces, so the caller decides how much CPU to spend and when (a testnet
 * node mines in short slices). The header prefix is hashed once and its digest state cloned per
 * attempt. Thread-safe (no shared state).
 */
public final class Miner {
  private Miner() {}

  /**
   * Tries nonces {@code firstNonce, firstNonce+1, ...}; returns the solved header or empty after
   * {@code maxAttempts} misses.
   */
  public static Optional<BlockHeader> mine(BlockHeader header, long firstNonce, long maxAttempts) {
    byte[] target =
        CompactTarget.toBytes32(
            CompactTarget.decode(header.difficultyBits())
                .orElseThrow(() -> new IllegalArgumentException("header bits not canonical")));
    MessageDigest prefix = Hash.newDigest();
    prefix.update(header.encodeWithoutNonce());
    byte[] nonceBytes = new byte[8];
    for (long i = 0; i < maxAttempts; i++) {
      long nonce = firstNonce + i;
      for (int b = 0; b < 8; b++) {
        nonceBytes[b] = (byte) (nonce >>> (56 - 8 * b));
      }
      MessageDigest digest;
      try {
        digest = (MessageDigest) prefix.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("SHA-256 digest not cloneable", e);
      }
      digest.update(nonceBytes);
      if (Arrays.compareUnsigned(digest.digest(), target) <= 0) {
        return Optional.of(header.withNonce(nonce));
      }
    }
    return Optional.empty();
  }
}
