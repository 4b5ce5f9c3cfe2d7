package io.meshwork.sync;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last few blocks relayed, so a peer that got one of them from us can fetch its transactions
 * before our own import has finished. Bounded; thread-safe.
 */
final class RecentBlocks {
  private final LinkedHashMap<Hash, Block> blocks;

  RecentBlocks(int capacity) {
    this.blocks =
        new LinkedHashMap<>(capacity * 2, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash, Block> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void add(Block block) {
    blocks.put(block.hash(), block);
  }

  synchronized Optional<Block> get(Hash hash) {
    return Optional.ofNullable(blocks.get(hash));
  }
}
