package io.meshwork.sync;

import io.meshwork.chain.model.Hash;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded set of block hashes, oldest forgotten first. Thread-safe. */
final class KnownBlocks {
  private final LinkedHashMap<Hash, Boolean> hashes;

  KnownBlocks(int capacity) {
    this.hashes =
        new LinkedHashMap<>(256, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void add(Hash hash) {
    hashes.put(hash, Boolean.TRUE);
  }

  synchronized boolean contains(Hash hash) {
    return hashes.containsKey(hash);
  }
}
