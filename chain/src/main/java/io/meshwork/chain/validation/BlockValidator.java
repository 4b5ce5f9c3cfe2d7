package io.meshwork.chain.validation;

import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.consensus.DifficultyRetarget;
import io.meshwork.chain.consensus.HeaderLookup;
import io.meshwork.chain.consensus.MedianTimePast;
import io.meshwork.chain.consensus.ProofOfWork;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Header and body checks that need no account state. Stateless apart from the injected clock;
 * thread-safe.
 */
public final class BlockValidator {
  private final ConsensusParams params;
  private final Hash genesisHash;
  private final Clock clock;
  private final ProofOfWork proofOfWork;
  private final DifficultyRetarget retarget;
  private final VerifiedSignatures verified = new VerifiedSignatures(VERIFIED_SIGNATURE_CACHE);

  /** How many verified transaction ids are remembered (about 100 bytes each). */
  public static final int VERIFIED_SIGNATURE_CACHE = 50_000;

  public BlockValidator(ConsensusParams params, Hash genesisHash, Clock clock) {
    this.params = params;
    this.genesisHash = genesisHash;
    this.clock = clock;
    this.proofOfWork = new ProofOfWork(params);
    this.retarget = new DifficultyRetarget(params);
  }

  /** Checks that need only the header: proof of work and a timestamp not far in the future. */
  public Optional<ValidationFailure> checkHeaderAlone(BlockHeader header) {
    Optional<String> pow = proofOfWork.check(header);
    if (pow.isPresent()) {
      return fail(Reason.BAD_PROOF_OF_WORK, pow.get() + " in " + header.hash());
    }
    long limit = clock.millis() + params.maxFutureDriftMillis();
    if (header.timestampMillis() > limit) {
      return fail(
          Reason.TIMESTAMP_TOO_FAR_IN_FUTURE,
          "timestamp " + header.timestampMillis() + " is past local time + drift " + limit);
    }
    return Optional.empty();
  }

  /** Checks against the parent and its ancestors: height, difficulty, median time past. */
  public Optional<ValidationFailure> checkHeaderInContext(
      BlockHeader header, BlockHeader parent, HeaderLookup ancestors) {
    if (header.height() != parent.height() + 1) {
      return fail(
          Reason.WRONG_HEIGHT,
          "height " + header.height() + " does not follow parent height " + parent.height());
    }
    int expectedBits = retarget.nextBits(parent, ancestors);
    if (header.difficultyBits() != expectedBits) {
      return fail(
          Reason.WRONG_DIFFICULTY,
          "difficulty bits 0x"
              + Integer.toHexString(header.difficultyBits())
              + ", the retarget rule requires 0x"
              + Integer.toHexString(expectedBits));
    }
    long median = MedianTimePast.of(parent, ancestors);
    if (header.timestampMillis() <= median) {
      return fail(
          Reason.TIMESTAMP_NOT_AFTER_MEDIAN,
          "timestamp " + header.timestampMillis() + " not after median time past " + median);
    }
    return Optional.empty();
  }

  /** Checks the body without state: limits, transactions root, duplicates and signatures. */
  public Optional<ValidationFailure> checkBody(Block block) {
    if (block.encodedSize() > params.maxBlockBytes()) {
      return fail(
          Reason.BLOCK_TOO_LARGE,
          block.encodedSize() + " bytes exceeds the limit " + params.maxBlockBytes());
    }
    if (block.transactions().size() > params.maxTransactionsPerBlock()) {
      return fail(
          Reason.TOO_MANY_TRANSACTIONS,
          block.transactions().size()
              + " transactions exceeds "
              + params.maxTransactionsPerBlock());
    }
    if (!Block.transactionsRoot(block.transactions()).equals(block.header().transactionsRoot())) {
      return fail(Reason.BAD_TRANSACTIONS_ROOT, "transactions root mismatch in " + block.hash());
    }
    Set<Hash> seen = new HashSet<>();
    for (Transaction tx : block.transactions()) {
      if (!seen.add(tx.id())) {
        return fail(Reason.DUPLICATE_TRANSACTION, "transaction " + tx.id() + " appears twice");
      }
    }
    for (Transaction tx : block.transactions()) {
      Optional<ValidationFailure> failure = checkTransactionAlone(tx);
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  /**
   * The checks a transaction passes before any state is consulted: fee floor and signature. A
   * signature is verified once per transaction id (see {@link VerifiedSignatures}).
   */
  public Optional<ValidationFailure> checkTransactionAlone(Transaction tx) {
    if (tx.fee() < params.minFee()) {
      return fail(Reason.FEE_TOO_LOW, "fee " + tx.fee() + " below minimum " + params.minFee());
    }
    if (verified.contains(tx.id())) {
      return Optional.empty();
    }
    if (!tx.hasValidSignature(genesisHash)) {
      return fail(Reason.BAD_SIGNATURE, "bad signature on transaction " + tx.id());
    }
    verified.add(tx.id());
    return Optional.empty();
  }

  /** How many transaction ids are remembered as carrying a verified signature. */
  public int verifiedSignatureCount() {
    return verified.size();
  }

  private static Optional<ValidationFailure> fail(Reason reason, String message) {
    return Optional.of(ValidationFailure.of(reason, message));
  }
}
