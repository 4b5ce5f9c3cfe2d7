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

  Set<PeerId> peers();

  void remove(PeerId peer);
}
