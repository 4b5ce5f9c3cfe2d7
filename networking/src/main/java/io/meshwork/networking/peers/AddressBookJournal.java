package io.meshwork.networking.peers;

import io.meshwork.networking.crypto.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@link AddressBook} must write at its next flush: entries added or changed, entries
 * removed, unreadable stored keys to delete, and whether the bucketing secret is stored yet.
 * Writing only the changes keeps each flush one small atomic batch.
 *
 * <p>Not thread-safe: owned by the book, on the thread that owns the book (the peer manager's).
 */
final class AddressBookJournal {
  private final Set<PeerId> dirty = new LinkedHashSet<>();
  private final Set<PeerId> removed = new LinkedHashSet<>();
  private final List<byte[]> staleKeys = new ArrayList<>();
  private boolean secretStored;

  /** The entry of {@code peer} was added or changed: write it. */
  void changed(PeerId peer) {
    dirty.add(peer);
  }

  /** {@code peer} was put in a slot: write its entry, and do not delete it. */
  void placed(PeerId peer) {
    removed.remove(peer);
    dirty.add(peer);
  }

  /** {@code peer} left the book: delete its entry (unless it is back by the flush). */
  void deleted(PeerId peer) {
    dirty.remove(peer);
    removed.add(peer);
  }

  /** A stored entry of {@code peer} found no slot at load: delete it. */
  void dropped(PeerId peer) {
    removed.add(peer);
  }

  /** A stored value under {@code key} could not be decoded: delete it. */
  void stale(byte[] key) {
    staleKeys.add(key);
  }

  int staleCount() {
    return staleKeys.size();
  }

  /** The secret is in the store already (the book was loaded from it). */
  void secretStored() {
    secretStored = true;
  }

  /** After a load: what was read back is already stored; only {@code rewrite} needs writing. */
  void loaded(Collection<PeerId> rewrite) {
    dirty.clear();
    dirty.addAll(rewrite);
  }

  /**
   * Writes the secret (if not yet stored) and every change since the last flush, in one atomic
   * batch; {@code entries} are the book's current entries. If the write throws, the changes stay
   * pending.
   */
  void flush(PeerDataStore store, byte[] secret, Map<PeerId, AddressInfo> entries) {
    PeerDataStore.Batch batch = new PeerDataStore.Batch();
    if (!secretStored) {
      batch.put(PeerDataStore.SECRET_KEY, secret);
    }
    for (byte[] key : staleKeys) {
      batch.delete(key);
    }
    for (PeerId peer : removed) {
      if (!entries.containsKey(peer)) {
        batch.delete(AddressBookCodec.key(peer));
      }
    }
    for (PeerId peer : dirty) {
      AddressInfo info = entries.get(peer);
      if (info != null) {
        batch.put(AddressBookCodec.key(peer), AddressBookCodec.encode(info));
      }
    }
    if (!batch.isEmpty()) {
      store.write(batch);
    }
    secretStored = true;
    staleKeys.clear();
    removed.clear();
    dirty.clear();
  }

  /** Entries changed since the last flush. */
  int pendingWrites() {
    return dirty.size() + removed.size() + staleKeys.size();
  }
}
