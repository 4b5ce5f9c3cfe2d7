package io.meshwork.chain.tree;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocks whose parent is unknown, held until it arrives. Bounded by count and total bytes; when
 * full the oldest orphan is evicted. Not thread-safe: owned by the chain's import thread.
 */
public final class OrphanPool {
  private final int maxBlocks;
  private final long maxBytes;
  private final LinkedHashMap<Hash, Block> byHash = new LinkedHashMap<>();
  private final Map<Hash, List<Hash>> byParent = new HashMap<>();
  private long bytes;

  public OrphanPool(int maxBlocks, long maxBytes) {
    this.maxBlocks = maxBlocks;
    this.maxBytes = maxBytes;
  }

  /** Holds {@code block}; returns false if it is larger than the whole pool. */
  public boolean add(Block block) {
    if (block.encodedSize() > maxBytes || maxBlocks == 0) {
      return false;
    }
    if (byHash.containsKey(block.hash())) {
      return true;
    }
    while (byHash.size() >= maxBlocks || bytes + block.encodedSize() > maxBytes) {
      Iterator<Block> oldest = byHash.values().iterator();
      remove(oldest.next());
    }
    byHash.put(block.hash(), block);
    byParent.computeIfAbsent(block.parent(), p -> new ArrayList<>(1)).add(block.hash());
    bytes += block.encodedSize();
    return true;
  }

  private void remove(Block block) {
    byHash.remove(block.hash());
    bytes -= block.encodedSize();
    List<Hash> siblings = byParent.get(block.parent());
    if (siblings != null) {
      siblings.remove(block.hash());
      if (siblings.isEmpty()) {
        byParent.remove(block.parent());
      }
    }
  }

  public boolean contains(Hash hash) {
    return byHash.containsKey(hash);
  }

  /** Removes and returns the orphans whose parent is {@code parent}, oldest first. */
  public List<Block> takeChildrenOf(Hash parent) {
    List<Hash> hashes = byParent.remove(parent);
    if (hashes == null) {
      return List.of();
    }
    List<Block> blocks = new ArrayList<>(hashes.size());
    for (Hash hash : hashes) {
      Block block = byHash.remove(hash);
      bytes -= block.encodedSize();
      blocks.add(block);
    }
    return blocks;
  }

  public int size() {
    return byHash.size();
  }

  public long bytes() {
    return bytes;
  }
}
