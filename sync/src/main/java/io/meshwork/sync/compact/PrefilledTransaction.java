package io.meshwork.sync.compact;

import io.meshwork.chain.model.Transaction;
import java.util.Objects;

/** A transaction sent in full inside a compact block, at its position in the block. */
public record PrefilledTransaction(int index, Transaction transaction) {
  public PrefilledTransaction {
    if (index < 0) {
      throw new IllegalArgumentException("prefilled index must not be negative: " + index);
    }
    Objects.requireNonNull(transaction, "transaction");
  }
}
