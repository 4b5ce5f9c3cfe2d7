package io.meshwork.sync.compact;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Turns a block into a compact block for one peer (chain-gossip.md, "Messages"). */
public final class CompactBlockBuilder {
  private CompactBlockBuilder() {}

  /**
   * Prefills index 0, every transaction for which {@code receiverLikelyLacks} holds, and any
   * transaction whose short id repeats one earlier in the block (a receiver could not tell the two
   * apart, so sending it in full avoids a certain fallback); the rest go as short ids.
   *
   * @param salt a fresh random value per block and peer
   * @param receiverLikelyLacks called with transaction ids, e.g. "not received from or sent to this
   *     peer"
   */
  public static CompactBlock build(Block block, long salt, Predicate<Hash> receiverLikelyLacks) {
    ShortIds ids = new ShortIds(block.header(), salt);
    List<Transaction> txs = block.transactions();
    List<ShortId> shortIds = new ArrayList<>(txs.size());
    List<PrefilledTransaction> prefilled = new ArrayList<>();
    Set<ShortId> seen = new HashSet<>();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      if (i == 0 || receiverLikelyLacks.test(tx.id())) {
        prefilled.add(new PrefilledTransaction(i, tx));
        continue;
      }
      ShortId id = ids.of(tx.id());
      if (seen.add(id)) {
        shortIds.add(id);
      } else {
        prefilled.add(new PrefilledTransaction(i, tx));
      }
    }
    return new CompactBlock(block.header(), salt, shortIds, prefilled);
  }
}
