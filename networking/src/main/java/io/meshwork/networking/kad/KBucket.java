package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * One k-bucket (Kademlia paper §2.2): at most {@code k} peers ordered from least to most recently
 * seen, plus a bounded replacement cache of peers that arrived while the bucket was full.
 *
 * <p>A full bucket never evicts a live peer: a newcomer goes to the replacement cache and the
 * least-recently-seen peer is put to a liveness check (one at a time). Only if that check fails is
 * it evicted, and the most recently cached replacement takes its place. The check itself is the
 * caller's job; this class only says which peer to check.
 *
 * <p>Not thread-safe: owned by its {@link RoutingTable}.
 */
final class KBucket {
  private final int capacity;
  private final int replacementCapacity;
  // Insertion order = least recently seen first; re-inserting moves a peer to the end.
  private final LinkedHashMap<PeerId, KadPeer> entries = new LinkedHashMap<>();
  private final LinkedHashMap<PeerId, KadPeer> replacements = new LinkedHashMap<>();
  private PeerId pendingCheck;
  private long lastRefreshedNanos;

  KBucket(int capacity, int replacementCapacity, long createdNanos) {
    this.capacity = capacity;
    this.replacementCapacity = replacementCapacity;
    this.lastRefreshedNanos = createdNanos;
  }

  /** What {@link #offer} did. */
  enum Offer {
    /** The peer was new and there was room. */
    ADDED,
    /** The peer was known; its addresses were updated and it is now the most recently seen. */
    UPDATED,
    /** The bucket is full; the peer was cached and the least recently seen peer needs a check. */
    CACHED_CHECK_REQUIRED,
    /** The bucket is full and a check is already running; the peer was cached. */
    CACHED
  }

  Offer offer(KadPeer peer) {
    if (entries.remove(peer.id()) != null) {
      entries.put(peer.id(), peer);
      return Offer.UPDATED;
    }
    if (entries.size() < capacity) {
      entries.put(peer.id(), peer);
      replacements.remove(peer.id());
      return Offer.ADDED;
    }
    cache(peer);
    if (pendingCheck == null) {
      pendingCheck = entries.keySet().iterator().next();
      return Offer.CACHED_CHECK_REQUIRED;
    }
    return Offer.CACHED;
  }

  private void cache(KadPeer peer) {
    if (replacementCapacity == 0) {
      return;
    }
    replacements.remove(peer.id());
    if (replacements.size() >= replacementCapacity) {
      Iterator<PeerId> oldest = replacements.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    replacements.put(peer.id(), peer);
  }

  /** The peer whose liveness check is outstanding. */
  Optional<PeerId> pendingCheck() {
    return Optional.ofNullable(pendingCheck);
  }

  /** The checked peer answered: it becomes the most recently seen. */
  void checkSucceeded(PeerId peer) {
    if (peer.equals(pendingCheck)) {
      pendingCheck = null;
    }
    KadPeer entry = entries.remove(peer);
    if (entry != null) {
      entries.put(peer, entry);
    }
  }

  /** Moves a known peer to the most-recently-seen end (it just answered us). */
  void touch(PeerId peer) {
    KadPeer entry = entries.remove(peer);
    if (entry != null) {
      entries.put(peer, entry);
    }
  }

  /** Removes {@code peer}; returns it if it was an entry (not just a cached replacement). */
  Optional<KadPeer> remove(PeerId peer) {
    if (peer.equals(pendingCheck)) {
      pendingCheck = null;
    }
    replacements.remove(peer);
    return Optional.ofNullable(entries.remove(peer));
  }

  /** Takes the most recently cached replacement out of the cache, if any. */
  Optional<KadPeer> pollReplacement() {
    KadPeer newest = null;
    for (KadPeer peer : replacements.values()) {
      newest = peer;
    }
    if (newest != null) {
      replacements.remove(newest.id());
    }
    return Optional.ofNullable(newest);
  }

  /** Adds a peer into free room (after an eviction); false if there is none. */
  boolean addIfRoom(KadPeer peer) {
    if (entries.size() >= capacity || entries.containsKey(peer.id())) {
      return false;
    }
    entries.put(peer.id(), peer);
    return true;
  }

  Optional<KadPeer> get(PeerId peer) {
    return Optional.ofNullable(entries.get(peer));
  }

  boolean contains(PeerId peer) {
    return entries.containsKey(peer);
  }

  /** Entries from least to most recently seen. */
  List<KadPeer> peers() {
    return List.copyOf(entries.values());
  }

  List<KadPeer> replacementPeers() {
    return List.copyOf(replacements.values());
  }

  int size() {
    return entries.size();
  }

  boolean isFull() {
    return entries.size() >= capacity;
  }

  long lastRefreshedNanos() {
    return lastRefreshedNanos;
  }

  void markRefreshed(long nowNanos) {
    lastRefreshedNanos = nowNanos;
  }

  /** Entries and replacements, for diversity accounting. */
  List<KadPeer> allPeers() {
    List<KadPeer> all = new ArrayList<>(entries.values());
    all.addAll(replacements.values());
    return all;
  }
}
