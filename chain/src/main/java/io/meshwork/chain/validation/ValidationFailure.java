package io.meshwork.chain.validation;

/**
 * Why a block or transaction was rejected: a typed reason code and a message a person can act on.
 */
public record ValidationFailure(Reason reason, String message) {

  /** The rejection reasons. */
  public enum Reason {
    MALFORMED_ENCODING,
    BLOCK_TOO_LARGE,
    TOO_MANY_TRANSACTIONS,
    BAD_PROOF_OF_WORK,
    WRONG_DIFFICULTY,
    WRONG_HEIGHT,
    TIMESTAMP_NOT_AFTER_MEDIAN,
    TIMESTAMP_TOO_FAR_IN_FUTURE,
    BAD_TRANSACTIONS_ROOT,
    BAD_STATE_ROOT,
    DUPLICATE_TRANSACTION,
    BAD_SIGNATURE,
    BAD_NONCE,
    INSUFFICIENT_BALANCE,
    FEE_TOO_LOW,
    AMOUNT_OVERFLOW,
    /** Header-first sync: a header does not connect to any known header. */
    UNKNOWN_PARENT,
    /** The block descends from a block already found invalid. */
    INVALID_ANCESTOR,
    /** Mempool only: the sender's nonce is too far ahead of the account's. */
    NONCE_TOO_FAR_AHEAD,
    /** Mempool only: a transaction with this sender and nonce pays at least as much. */
    REPLACEMENT_FEE_TOO_LOW,
    /** Mempool only: full, and the transaction pays no more than the cheapest evictable one. */
    MEMPOOL_FULL,
    /** Mempool only: this exact transaction is already pending. */
    ALREADY_KNOWN
  }

  public static ValidationFailure of(Reason reason, String message) {
    return new ValidationFailure(reason, message);
  }

  /** Whether the same block may become valid later (only a timestamp ahead of the clock can). */
  public boolean isTemporary() {
    return reason == Reason.TIMESTAMP_TOO_FAR_IN_FUTURE;
  }

  public ValidationException toException() {
    return new ValidationException(this);
  }

  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
