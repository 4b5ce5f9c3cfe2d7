package io.meshwork.networking.peers;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerIdFormatException;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.MultiaddrException;
import io.meshwork.networking.peers.pb.PeerManagerProto;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchors: the outbound peers that stayed connected longest, remembered across restarts and
 * dialed first at start (Bitcoin Core's {@code anchors.dat}, against an attacker who waits for a
 * restart to feed us only his addresses). Persisted under {@link PeerDataStore#ANCHOR_PREFIX}.
 *
 * <p>Not thread-safe: owned by the peer manager's thread.
 */
final class Anchors {
  private static final Logger LOG = LoggerFactory.getLogger(Anchors.class);

  /** An anchor: a peer, where we reached it, and since when the connection lasted. */
  record Anchor(PeerId peer, List<Multiaddr> addresses, Instant connected) {
    Anchor {
      Objects.requireNonNull(peer);
      addresses = List.copyOf(addresses);
      Objects.requireNonNull(connected);
    }
  }

  private final int max;
  private List<Anchor> anchors = List.of();
  private final List<PeerId> stored = new ArrayList<>();
  private boolean dirty;

  Anchors(int max) {
    this.max = max;
  }

  /** The anchors, longest connected first. */
  List<Anchor> list() {
    return anchors;
  }

  List<PeerAddresses> peers() {
    return anchors.stream().map(a -> new PeerAddresses(a.peer(), a.addresses())).toList();
  }

  boolean contains(PeerId peer) {
    return anchors.stream().anyMatch(a -> a.peer().equals(peer));
  }

  /**
   * Recomputes the anchors from the outbound connections now open: the longest connected ones; when
   * fewer than {@code max} are open, earlier anchors keep the remaining places (a peer that just
   * dropped, or our own shutdown closing everything, does not erase what we knew). Returns whether
   * they changed.
   */
  boolean update(List<Anchor> outbound) {
    Map<PeerId, Anchor> next = new LinkedHashMap<>();
    outbound.stream()
        .sorted(Comparator.comparing(Anchor::connected))
        .limit(max)
        .forEach(a -> next.put(a.peer(), a));
    for (Anchor previous : anchors) {
      if (next.size() >= max) {
        break;
      }
      next.putIfAbsent(previous.peer(), previous);
    }
    List<Anchor> updated = List.copyOf(next.values());
    if (updated.equals(anchors)) {
      return false;
    }
    anchors = updated;
    dirty = true;
    return true;
  }

  /** Replaces the stored anchors with these, in one batch, if they changed. */
  void flush(PeerDataStore store) {
    if (!dirty) {
      return;
    }
    PeerDataStore.Batch batch = new PeerDataStore.Batch();
    for (PeerId old : stored) {
      batch.delete(PeerDataStore.key(PeerDataStore.ANCHOR_PREFIX, old.toBytes()));
    }
    stored.clear();
    for (Anchor anchor : anchors) {
      PeerManagerProto.Anchor.Builder value =
          PeerManagerProto.Anchor.newBuilder()
              .setConnectedMillis(anchor.connected().toEpochMilli());
      anchor.addresses().forEach(a -> value.addAddresses(ByteString.copyFrom(a.toBytes())));
      batch.put(
          PeerDataStore.key(PeerDataStore.ANCHOR_PREFIX, anchor.peer().toBytes()),
          value.build().toByteArray());
      stored.add(anchor.peer());
    }
    store.write(batch);
    dirty = false;
  }

  /** The anchors stored in {@code store}; unreadable entries are dropped at the next flush. */
  static Anchors load(PeerDataStore store, int max) {
    Anchors loaded = new Anchors(max);
    List<Anchor> found = new ArrayList<>();
    int prefix = PeerDataStore.ANCHOR_PREFIX.length;
    PeerDataStore.Batch unreadable = new PeerDataStore.Batch();
    store.forEachWithPrefix(
        PeerDataStore.ANCHOR_PREFIX,
        (key, value) -> {
          try {
            PeerId peer = PeerId.fromBytes(Arrays.copyOfRange(key, prefix, key.length));
            PeerManagerProto.Anchor anchor = PeerManagerProto.Anchor.parseFrom(value);
            List<Multiaddr> addresses = new ArrayList<>();
            for (ByteString address : anchor.getAddressesList()) {
              addresses.add(Multiaddr.fromBytes(address.toByteArray()));
            }
            found.add(
                new Anchor(peer, addresses, Instant.ofEpochMilli(anchor.getConnectedMillis())));
            loaded.stored.add(peer);
          } catch (InvalidProtocolBufferException | PeerIdFormatException | MultiaddrException e) {
            LOG.warn("dropping an unreadable stored anchor: {}", e.getMessage());
            unreadable.delete(key);
          }
        });
    if (!unreadable.isEmpty()) {
      store.write(unreadable);
    }
    loaded.anchors =
        found.stream().sorted(Comparator.comparing(Anchor::connected)).limit(max).toList();
    return loaded;
  }
}
