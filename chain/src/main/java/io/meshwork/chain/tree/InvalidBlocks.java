package io.meshwork.chain.tree;

import io.meshwork.chain.model.Hash;
import io.meshwork.chain.validation.ValidationFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hashes of blocks found invalid, with the reason, so a peer resending one (or its descendants) is
 * answered without revalidation. Bounded: the oldest entries are forgotten first.
 */
public final class InvalidBlocks {
  private final LinkedHashMap<Hash, ValidationFailure> entries;

  public InvalidBlocks(int capacity) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash, ValidationFailure> eldest) {
            return size() > capacity;
          }
        };
  }

  public void add(Hash hash, ValidationFailure failure) {
    entries.put(hash, failure);
  }

  public Optional<ValidationFailure> reason(Hash hash) {
    return Optional.ofNullable(entries.get(hash));
  }

  public int size() {
    return entries.size();
  }
}
