package io.meshwork.chain;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Transaction;
import java.util.List;

/** What the chain tells its subscribers, synchronously on the importing thread. */
public sealed interface ChainEvent {
  /**
   * The head moved. {@code removed} (highest first) is empty for a plain extension; {@code added}
   * is lowest first and ends with {@code newHead}. {@code returnedToMempool} are the transactions
   * of removed blocks the new branch did not include.
   */
  record HeadChanged(
      Block previousHead,
      Block newHead,
      List<Block> removed,
      List<Block> added,
      List<Transaction> returnedToMempool)
      implements ChainEvent {
    public boolean isReorganization() {
      return !removed.isEmpty();
    }
  }
}
