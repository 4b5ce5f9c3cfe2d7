package io.meshwork.chain;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.validation.ValidationFailure;
import java.math.BigInteger;
import java.util.List;

/** What importing one block did. */
public sealed interface ImportResult {
  Hash block();

  /**
   * The block (or, when it completed a branch of orphans, a descendant) is the new head. {@code
   * removed} is empty unless this was a reorganisation; highest first. {@code added} lowest first.
   */
  record NewHead(Hash block, Block head, List<Block> removed, List<Block> added)
      implements ImportResult {
    public boolean isReorganization() {
      return !removed.isEmpty();
    }
  }

  /** Valid as far as checked without state, stored, but on a branch with less (or equal) work. */
  record SideBranch(Hash block, BigInteger cumulativeWork) implements ImportResult {}

  /** Its parent is unknown; held (bounded) until the parent arrives. */
  record Orphan(Hash block, Hash missingParent) implements ImportResult {}

  /** Already in the tree or the orphan pool. */
  record AlreadyKnown(Hash block) implements ImportResult {}

  /** Rejected, with the reason. */
  record Invalid(Hash block, ValidationFailure failure) implements ImportResult {}

  /**
   * Its branch is heavier but adopting it would undo {@code depth} &gt; {@code maxDepth} blocks.
   */
  record ReorgTooDeep(Hash block, int depth, int maxDepth) implements ImportResult {}
}
