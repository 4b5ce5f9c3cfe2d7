package io.meshwork.chain.tree;

import java.util.Collection;
import java.util.Comparator;

/**
 * Heaviest cumulative work wins; on equal work the block seen first stays (so a node does not flip
 * between equal tips, and the first miner to publish keeps its block). Stateless.
 */
public final class ForkChoice {
  private static final Comparator<BlockTree.Node> PREFERENCE =
      Comparator.comparing(BlockTree.Node::cumulativeWork)
          .thenComparing(Comparator.comparingLong(BlockTree.Node::seenOrder).reversed());

  private ForkChoice() {}

  /** Whether {@code candidate} should replace {@code current} as head. */
  public static boolean prefers(BlockTree.Node candidate, BlockTree.Node current) {
    return candidate.cumulativeWork().compareTo(current.cumulativeWork()) > 0;
  }

  /** The preferred node among all of them. */
  public static BlockTree.Node best(Collection<BlockTree.Node> nodes) {
    return nodes.stream().max(PREFERENCE).orElseThrow();
  }
}
