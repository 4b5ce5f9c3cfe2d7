package io.meshwork.node.chain;

import io.meshwork.chain.Chain;
import io.meshwork.chain.ChainEvent;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the transactions of the last {@code maxBlocks} canonical blocks were included: a bounded
 * in-memory map from transaction id to block, fed by {@link ChainEvent.HeadChanged} (blocks a
 * reorganisation removes are unindexed, the added ones indexed). A transaction in an older block is
 * not found; the chain keeps no transaction index of its own.
 *
 * <p>Thread-safe: events arrive on the chain's importing thread, lookups on API threads.
 */
public final class TransactionIndex implements Consumer<ChainEvent> {
  /** Where a transaction was included. */
  public record Inclusion(Hash block, long height) {}

  private record Indexed(Hash block, List<Hash> transactions) {}

  private final int maxBlocks;
  private final Map<Hash, Inclusion> byTransaction = new HashMap<>();
  private final Deque<Indexed> blocks = new ArrayDeque<>();

  private TransactionIndex(int maxBlocks) {
    if (maxBlocks <= 0) {
      throw new IllegalArgumentException("maxBlocks must be positive");
    }
    this.maxBlocks = maxBlocks;
  }

  /**
   * Indexes the last {@code maxBlocks} canonical blocks of {@code chain} and follows its head.
   * Holds the chain's lock meanwhile, so no head change falls between the scan and the
   * subscription.
   */
  public static TransactionIndex follow(Chain chain, int maxBlocks) {
    TransactionIndex index = new TransactionIndex(maxBlocks);
    synchronized (chain) {
      long head = chain.headHeader().height();
      for (long h = Math.max(1, head - maxBlocks + 1); h <= head; h++) {
        chain.blockAt(h).ifPresent(index::add);
      }
      chain.subscribe(index);
    }
    return index;
  }

  @Override
  public synchronized void accept(ChainEvent event) {
    if (event instanceof ChainEvent.HeadChanged changed) {
      for (Block removed : changed.removed()) {
        unindex(removed.hash(), removed.transactions().stream().map(Transaction::id).toList());
        blocks.removeIf(b -> b.block().equals(removed.hash()));
      }
      changed.added().forEach(this::add);
    }
  }

  private void add(Block block) {
    List<Hash> ids = block.transactions().stream().map(Transaction::id).toList();
    Inclusion inclusion = new Inclusion(block.hash(), block.height());
    ids.forEach(id -> byTransaction.put(id, inclusion));
    blocks.addLast(new Indexed(block.hash(), ids));
    while (blocks.size() > maxBlocks) {
      Indexed oldest = blocks.removeFirst();
      unindex(oldest.block(), oldest.transactions());
    }
  }

  private void unindex(Hash block, List<Hash> transactions) {
    for (Hash id : transactions) {
      Inclusion inclusion = byTransaction.get(id);
      if (inclusion != null && inclusion.block().equals(block)) {
        byTransaction.remove(id);
      }
    }
  }

  /** The canonical block that included {@code transaction}, if it is among the indexed ones. */
  public synchronized Optional<Inclusion> find(Hash transaction) {
    return Optional.ofNullable(byTransaction.get(transaction));
  }

  /** How many blocks are indexed now. */
  public synchronized int indexedBlocks() {
    return blocks.size();
  }
}
