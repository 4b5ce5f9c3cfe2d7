package io.meshwork.chain.validation;

import io.meshwork.chain.model.Hash;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of transactions whose signature already verified, so a transaction checked on arrival in the
 * mempool is not verified again when its block arrives (Ed25519 verification is most of a block's
 * import cost). Sound because the id is the hash of the full encoding, signature included, and the
 * validator's network is fixed. Bounded; the least recently used ids are forgotten first.
 * Thread-safe.
 */
final class VerifiedSignatures {
  private final Map<Hash, Boolean> ids;

  VerifiedSignatures(int capacity) {
    this.ids =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized boolean contains(Hash id) {
    return ids.get(id) != null;
  }

  synchronized void add(Hash id) {
    ids.put(id, Boolean.TRUE);
  }

  synchronized int size() {
    return ids.size();
  }
}
