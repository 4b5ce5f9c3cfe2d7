package io.meshwork.sync.compact;

import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Indexes candidate transactions (the mempool, recent rejects) by short id for one block. */
public final class MempoolIndex {
  private MempoolIndex() {}

  /**
   * Maps each short id to the distinct transactions (by id) that have it; a list longer than one is
   * a collision. The map and lists are immutable.
   */
  public static Map<ShortId, List<Transaction>> index(
      ShortIds ids, Collection<Transaction> mempool) {
    Map<ShortId, List<Transaction>> byShortId = new HashMap<>(mempool.size() * 2);
    Set<Hash> seen = new HashSet<>(mempool.size() * 2);
    for (Transaction tx : mempool) {
      if (seen.add(tx.id())) {
        byShortId.computeIfAbsent(ids.of(tx.id()), k -> new ArrayList<>(1)).add(tx);
      }
    }
    Map<ShortId, List<Transaction>> out = new HashMap<>(byShortId.size() * 2);
    byShortId.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return Map.copyOf(out);
  }
}
