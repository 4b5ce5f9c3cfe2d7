package io.meshwork.chain.tree;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.state.Account;
import io.meshwork.chain.state.AccountState;
import io.meshwork.chain.state.StateTransition;
import io.meshwork.chain.state.UndoData;
import io.meshwork.chain.store.ChainStore;
import io.meshwork.chain.store.StorageException;
import io.meshwork.chain.validation.ValidationException;
import io.meshwork.chain.validation.ValidationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Moves the head state from one tip to another: undo back to the common ancestor with stored undo
 * data, apply the new branch, then write the whole change in one batch. If a block of the new
 * branch fails, the state is rolled back to the old head and nothing is written. An extension of
 * the head is the same operation with nothing to undo. Not thread-safe: used on the chain's import
 * thread.
 */
public final class Reorganizer {
  /** What a reorganisation did. */
  public sealed interface Outcome {}

  /** The target is the new head. {@code removed} highest first, {@code added} lowest first. */
  public record Adopted(Block commonAncestor, List<Block> removed, List<Block> added)
      implements Outcome {
    /**
     * Transactions of removed blocks that no added block includes, oldest first: they go back to
     * the mempool.
     */
    public List<Transaction> orphanedTransactions() {
      if (removed.isEmpty()) {
        return List.of();
      }
      Set<Hash> included = new HashSet<>();
      added.forEach(b -> b.transactions().forEach(tx -> included.add(tx.id())));
      List<Transaction> orphaned = new ArrayList<>();
      for (int i = removed.size() - 1; i >= 0; i--) {
        for (Transaction tx : removed.get(i).transactions()) {
          if (!included.contains(tx.id())) {
            orphaned.add(tx);
          }
        }
      }
      return orphaned;
    }
  }

  /** A block of the new branch is invalid; the state and store are as before. */
  public record Failed(Hash invalidBlock, ValidationFailure failure) implements Outcome {}

  /** Adopting the target would undo more than the limit; nothing changed. */
  public record TooDeep(int depth, int maxDepth) implements Outcome {}

  private final BlockTree tree;
  private final ChainStore store;
  private final StateTransition transition;
  private final int maxDepth;

  public Reorganizer(BlockTree tree, ChainStore store, StateTransition transition, int maxDepth) {
    this.tree = tree;
    this.store = store;
    this.transition = transition;
    this.maxDepth = maxDepth;
  }

  /**
   * Moves {@code state} (which is the state at {@code head}) to the state at {@code target}.
   *
   * @param blocks where to get full blocks by hash (a cache in front of the store)
   */
  public Outcome reorganize(
      AccountState state,
      BlockTree.Node head,
      BlockTree.Node target,
      Function<Hash, Block> blocks) {
    BlockTree.Node ancestor = tree.commonAncestor(head, target);
    int depth = (int) (head.height() - ancestor.height());
    if (depth > maxDepth) {
      return new TooDeep(depth, maxDepth);
    }
    Set<Address> touched = new HashSet<>();
    List<Block> removed = new ArrayList<>(depth);
    for (BlockTree.Node n = head; !n.hash().equals(ancestor.hash()); n = tree.parent(n)) {
      Hash hash = n.hash();
      UndoData undo =
          store
              .undo(hash)
              .orElseThrow(() -> new StorageException("undo data missing for canonical " + hash));
      transition.undo(state, undo);
      touched.addAll(undo.previous().keySet());
      removed.add(blocks.apply(hash));
    }
    List<Block> added = new ArrayList<>();
    Map<Hash, UndoData> undo = new LinkedHashMap<>();
    for (BlockTree.Node node : tree.path(ancestor, target)) {
      Block block = blocks.apply(node.hash());
      try {
        UndoData blockUndo = transition.apply(state, block);
        undo.put(block.hash(), blockUndo);
        touched.addAll(blockUndo.previous().keySet());
        added.add(block);
      } catch (ValidationException e) {
        rollBack(state, removed, added, undo);
        return new Failed(block.hash(), e.failure());
      }
    }
    Map<Address, Account> accounts = new HashMap<>();
    for (Address address : touched) {
      accounts.put(address, state.get(address));
    }
    store.commit(new ChainStore.HeadChange(removed, added, undo, accounts, target.header()));
    return new Adopted(blocks.apply(ancestor.hash()), removed, added);
  }

  private void rollBack(
      AccountState state, List<Block> removed, List<Block> added, Map<Hash, UndoData> undo) {
    for (int i = added.size() - 1; i >= 0; i--) {
      transition.undo(state, undo.get(added.get(i).hash()));
    }
    for (int i = removed.size() - 1; i >= 0; i--) {
      try {
        transition.apply(state, removed.get(i));
      } catch (ValidationException e) {
        throw new IllegalStateException(
            "previously canonical block " + removed.get(i).hash() + " no longer applies", e);
      }
    }
  }
}
