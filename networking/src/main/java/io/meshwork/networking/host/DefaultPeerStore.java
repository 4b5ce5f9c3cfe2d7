package io.meshwork.networking.host;

import io.meshwork.networking.core.PeerStore;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.crypto.PublicKey;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The in-memory peer store. Bounded: at most {@code maxPeers} peers (the least recently updated is
 * evicted), {@link #MAX_ADDRESSES} addresses and {@link #MAX_PROTOCOLS} protocols per peer, agent
 * strings cut at {@link #MAX_AGENT_LENGTH}, one signed peer record of at most {@link
 * #MAX_SIGNED_RECORD_SIZE} bytes. Thread-safe (one lock; the store is small and cold).
 */
final class DefaultPeerStore implements PeerStore {
  static final int MAX_ADDRESSES = 32;
  static final int MAX_PROTOCOLS = 128;
  static final int MAX_AGENT_LENGTH = 256;

  /** A record with 32 addresses and an RSA key is well under this; identify is capped at 64 KiB. */
  static final int MAX_SIGNED_RECORD_SIZE = 8 * 1024;

  private final Map<PeerId, Entry> peers;

  DefaultPeerStore(int maxPeers) {
    this.peers =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<PeerId, DefaultPeerStore.Entry> eldest) {
            return size() > maxPeers;
          }
        };
  }

  private static final class Entry {
    final LinkedHashSet<Multiaddr> addresses = new LinkedHashSet<>();
    List<String> protocols = List.of();
    PublicKey key;
    String agent;
    byte[] signedRecord;
    long signedRecordSeq;
  }

  private Entry entry(PeerId peer) {
    return peers.computeIfAbsent(peer, p -> new Entry());
  }

  @Override
  public synchronized void addAddresses(PeerId peer, List<Multiaddr> addresses) {
    Entry entry = entry(peer);
    for (Multiaddr address : addresses) {
      Multiaddr plain = address.withoutP2p();
      entry.addresses.remove(plain); // re-insert: most recent last
      entry.addresses.add(plain);
      if (entry.addresses.size() > MAX_ADDRESSES) {
        entry.addresses.remove(entry.addresses.iterator().next());
      }
    }
  }

  @Override
  public synchronized List<Multiaddr> addresses(PeerId peer) {
    Entry entry = peers.get(peer);
    if (entry == null) {
      return List.of();
    }
    List<Multiaddr> newestFirst = new ArrayList<>(entry.addresses);
    java.util.Collections.reverse(newestFirst);
    return List.copyOf(newestFirst);
  }

  @Override
  public synchronized void putPublicKey(PeerId peer, PublicKey key) {
    if (!peer.matches(key)) {
      throw new IllegalArgumentException("public key does not belong to " + peer);
    }
    entry(peer).key = key;
  }

  @Override
  public synchronized Optional<PublicKey> publicKey(PeerId peer) {
    Entry entry = peers.get(peer);
    if (entry != null && entry.key != null) {
      return Optional.of(entry.key);
    }
    return peer.extractPublicKey();
  }

  @Override
  public synchronized void setProtocols(PeerId peer, List<String> protocols) {
    entry(peer).protocols =
        List.copyOf(protocols.subList(0, Math.min(protocols.size(), MAX_PROTOCOLS)));
  }

  @Override
  public synchronized List<String> protocols(PeerId peer) {
    Entry entry = peers.get(peer);
    return entry == null ? List.of() : entry.protocols;
  }

  @Override
  public synchronized void setAgentVersion(PeerId peer, String agentVersion) {
    entry(peer).agent =
        agentVersion.length() > MAX_AGENT_LENGTH
            ? agentVersion.substring(0, MAX_AGENT_LENGTH)
            : agentVersion;
  }

  @Override
  public synchronized Optional<String> agentVersion(PeerId peer) {
    Entry entry = peers.get(peer);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.agent);
  }

  @Override
  public void putSignedPeerRecord(PeerId peer, byte[] envelope) {
    if (envelope.length > MAX_SIGNED_RECORD_SIZE) {
      throw new IllegalArgumentException(
          "signed peer record of "
              + envelope.length
              + " bytes exceeds the limit of "
              + MAX_SIGNED_RECORD_SIZE);
    }
    byte[] copy = envelope.clone();
    // Verified outside the lock: a signature check is the slow part.
    PeerRecord record = PeerRecord.open(copy);
    if (!record.peerId().equals(peer)) {
      throw new IllegalArgumentException(
          "signed peer record of " + record.peerId() + ", not " + peer);
    }
    synchronized (this) {
      Entry entry = entry(peer);
      if (entry.signedRecord == null
          || Long.compareUnsigned(record.seq(), entry.signedRecordSeq) > 0) {
        entry.signedRecord = copy;
        entry.signedRecordSeq = record.seq();
      }
    }
  }

  @Override
  public synchronized Optional<byte[]> signedPeerRecord(PeerId peer) {
    Entry entry = peers.get(peer);
    return entry == null || entry.signedRecord == null
        ? Optional.empty()
        : Optional.of(entry.signedRecord.clone());
  }

  @Override
  public synchronized Set<PeerId> peers() {
    return Set.copyOf(peers.keySet());
  }

  @Override
  public synchronized void remove(PeerId peer) {
    peers.remove(peer);
  }
}
