package io.meshwork.sync.compact;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Sans-IO state for rebuilding one block from a compact block (chain-gossip.md, "Compact block
 * reconstruction"). {@link #start} fills what the candidates provide; if positions remain the
 * caller sends a block-txs request for {@link Result.Missing#indexes()} to the peer that announced
 * the block and passes the answer to {@link #fill}. {@link Result.Failed} means: fetch the full
 * block with blocks-by-hash. Not thread-safe; one caller drives it.
 */
public final class BlockReconstructor {
  private final CompactBlock compact;
  private final ShortIds ids;
  private final Transaction[] slots;
  private final List<Integer> missing = new ArrayList<>();
  private final List<ShortId> missingShortIds = new ArrayList<>();
  private Result result;

  /** The outcome so far. */
  public sealed interface Result {
    /** The block, its transactions matching the header's transactions root. */
    record Complete(Block block) implements Result {}

    /** Positions no candidate filled, in increasing order: ask for these with block-txs. */
    record Missing(List<Integer> indexes) implements Result {
      public Missing {
        indexes = List.copyOf(indexes);
      }
    }

    /** Reconstruction cannot succeed; fall back to the full block. */
    record Failed(String reason) implements Result {}
  }

  private BlockReconstructor(CompactBlock compact) {
    this.compact = compact;
    this.ids = new ShortIds(compact.header(), compact.salt());
    this.slots = new Transaction[compact.transactionCount()];
  }

  /**
   * Starts rebuilding.
   *
   * @param candidatesByShortId the known transactions with a short id (null or empty for none),
   *     e.g. {@code MempoolIndex.index(...)::get}
   */
  public static BlockReconstructor start(
      CompactBlock compact, Function<ShortId, List<Transaction>> candidatesByShortId) {
    BlockReconstructor r = new BlockReconstructor(compact);
    r.result = r.fillFromCandidates(candidatesByShortId);
    return r;
  }

  /** Starts rebuilding from a mempool snapshot (indexed here with the block's short id key). */
  public static BlockReconstructor start(CompactBlock compact, Collection<Transaction> mempool) {
    Map<ShortId, List<Transaction>> index =
        MempoolIndex.index(new ShortIds(compact.header(), compact.salt()), mempool);
    return start(compact, index::get);
  }

  public CompactBlock compactBlock() {
    return compact;
  }

  /** The outcome after {@link #start} or the last {@link #fill}. */
  public Result result() {
    return result;
  }

  /**
   * Fills the missing positions with the block-txs answer, which must hold exactly the missing
   * transactions in index order.
   *
   * @throws IllegalStateException unless the current result is {@link Result.Missing}
   */
  public Result fill(List<Transaction> fetched) {
    if (!(result instanceof Result.Missing)) {
      throw new IllegalStateException("nothing to fill: " + result);
    }
    if (fetched.size() != missing.size()) {
      result =
          new Result.Failed(
              "expected " + missing.size() + " fetched transactions, got " + fetched.size());
      return result;
    }
    for (int i = 0; i < fetched.size(); i++) {
      int index = missing.get(i);
      Transaction tx = Objects.requireNonNull(fetched.get(i), "fetched transaction");
      if (!ids.of(tx.id()).equals(missingShortIds.get(i))) {
        result =
            new Result.Failed("fetched transaction for index " + index + " has another short id");
        return result;
      }
      slots[index] = tx;
    }
    missing.clear();
    missingShortIds.clear();
    result = verify();
    return result;
  }

  private Result fillFromCandidates(Function<ShortId, List<Transaction>> candidates) {
    boolean[] prefilledAt = new boolean[slots.length];
    for (PrefilledTransaction p : compact.prefilled()) {
      slots[p.index()] = p.transaction();
      prefilledAt[p.index()] = true;
    }
    int next = 0;
    for (ShortId id : compact.shortIds()) {
      while (prefilledAt[next]) {
        next++;
      }
      int index = next++;
      List<Transaction> found = candidates.apply(id);
      if (found == null || found.isEmpty()) {
        missing.add(index);
        missingShortIds.add(id);
      } else if (found.size() > 1) {
        return new Result.Failed("short id collision in the mempool at index " + index);
      } else {
        slots[index] = found.get(0);
      }
    }
    return missing.isEmpty() ? verify() : new Result.Missing(missing);
  }

  private Result verify() {
    List<Transaction> txs = Arrays.asList(slots);
    if (!Block.transactionsRoot(txs).equals(compact.header().transactionsRoot())) {
      return new Result.Failed("transactions root mismatch after filling");
    }
    return new Result.Complete(new Block(compact.header(), txs));
  }
}
