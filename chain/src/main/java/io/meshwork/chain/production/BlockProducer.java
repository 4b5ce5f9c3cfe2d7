package io.meshwork.chain.production;

import io.meshwork.chain.consensus.Miner;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.state.AccountState;
import io.meshwork.chain.state.StateTransition;
import io.meshwork.chain.state.UndoData;
import io.meshwork.chain.validation.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Assembles and mines blocks. Stateless; the state passed in is restored before returning. */
public final class BlockProducer {
  private final StateTransition transition;

  public BlockProducer(StateTransition transition) {
    this.transition = transition;
  }

  /**
   * An unmined block on {@code parent}: the candidates that apply in order (others are skipped),
   * with the resulting state root.
   *
   * @param headState the state at {@code parent}; temporarily modified, restored on return
   */
  public Block assemble(
      BlockHeader parent,
      int difficultyBits,
      long timestampMillis,
      List<Transaction> candidates,
      AccountState headState) {
    List<Transaction> included = new ArrayList<>(candidates.size());
    List<UndoData> undo = new ArrayList<>(candidates.size());
    for (Transaction tx : candidates) {
      try {
        undo.add(transition.applyTransaction(headState, tx));
        included.add(tx);
      } catch (ValidationException e) {
        // Skipped: the mempool's view can trail the head by one block; the next block retries.
      }
    }
    var root = headState.root();
    for (int i = undo.size() - 1; i >= 0; i--) {
      transition.undo(headState, undo.get(i));
    }
    BlockHeader header =
        new BlockHeader(
            parent.hash(),
            parent.height() + 1,
            timestampMillis,
            Block.transactionsRoot(included),
            root,
            difficultyBits,
            0);
    return new Block(header, included);
  }

  /**
   * Mines at most {@code maxAttempts} nonces from {@code firstNonce}; empty if none met the target.
   */
  public static Optional<Block> mine(Block template, long firstNonce, long maxAttempts) {
    return Miner.mine(template.header(), firstNonce, maxAttempts)
        .map(header -> new Block(header, template.transactions()));
  }
}
