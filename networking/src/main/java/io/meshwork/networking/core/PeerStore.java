package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PublicKey;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What we know about peers: addresses, keys, protocols, agent version. Bounded: the number of peers
 * and the entries per peer are capped, so a peer cannot grow it without limit. Thread-safe.
 */
public interface PeerStore {
  void addAddresses(PeerId peer, List<Multiaddr> addresses);

  List<Multiaddr> addresses(PeerId peer);

  void putPublicKey(PeerId peer, PublicKey key);

  Optional<PublicKey> publicKey(PeerId peer);

  void setProtocols(PeerId peer, List<String> protocols);

  List<String> protocols(PeerId peer);

  void setAgentVersion(PeerId peer, String agentVersion);

  Optional<String> agentVersion(PeerId peer);

  /**
   * Keeps {@code peer}'s signed peer record: a marshalled signed envelope (RFC 0002) holding a peer
   * record (RFC 0003), as identify delivers it. It replaces the record held only if its {@code seq}
   * is higher (RFC 0003: "newer records have higher sequence numbers"); an older or equal one is
   * ignored.
   *
   * @throws IllegalArgumentException if it does not verify, is not a peer record of {@code peer},
   *     or is larger than the store keeps
   */
  void putSignedPeerRecord(PeerId peer, byte[] envelope);

  /** The newest signed peer record of {@code peer} we hold, as the exact envelope bytes. */
  Optional<byte[]> signedPeerRecord(PeerId peer);

  Set<PeerId> peers();

  void remove(PeerId peer);
}
