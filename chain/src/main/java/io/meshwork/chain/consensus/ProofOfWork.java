package io.meshwork.chain.consensus;

import io.meshwork.chain.model.BlockHeader;
import java.math.BigInteger;
import java.util.Optional;

/** Checks the proof of work of a header on its own. Stateless; thread-safe. */
public final class ProofOfWork {
  private final BigInteger powLimit;

  public ProofOfWork(ConsensusParams params) {
    this.powLimit = params.powLimit();
  }

  /** Why the header's proof of work fails, or empty when it holds. Needs nothing but the header. */
  public Optional<String> check(BlockHeader header) {
    Optional<BigInteger> target = CompactTarget.decode(header.difficultyBits());
    if (target.isEmpty()) {
      return Optional.of(
          "difficulty bits 0x" + Integer.toHexString(header.difficultyBits()) + " not canonical");
    }
    if (target.get().compareTo(powLimit) > 0) {
      return Optional.of("target easier than the network's limit");
    }
    if (header.hash().toUnsignedBigInteger().compareTo(target.get()) > 0) {
      return Optional.of("header hash above its target");
    }
    return Optional.empty();
  }

  /** The work a header with these bits proves (0 for bits that are not canonical). */
  public static BigInteger work(int difficultyBits) {
    return CompactTarget.decode(difficultyBits).map(CompactTarget::work).orElse(BigInteger.ZERO);
  }
}
