package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;

/**
 * Everything the host and the services built on it report, on one mechanism: {@link
 * Host#subscribe}. Services (DHT, gossip, peer exchange, peer manager) report through {@link
 * Host#publish}.
 */
public sealed interface NetworkEvent {
  PeerId peerId();

  /** A connection to a peer was established (secured and multiplexed). */
  record PeerConnected(PeerId peerId, Connection connection) implements NetworkEvent {}

  /** The last connection to a peer closed (a closed duplicate of a kept one is not reported). */
  record PeerDisconnected(PeerId peerId, Connection connection) implements NetworkEvent {}

  /** Identify told us what the peer is. */
  record PeerIdentified(
      PeerId peerId,
      String agentVersion,
      String protocolVersion,
      List<String> protocols,
      List<Multiaddr> listenAddresses,
      java.util.Optional<Multiaddr> observedAddress)
      implements NetworkEvent {
    public PeerIdentified {
      protocols = List.copyOf(protocols);
      listenAddresses = List.copyOf(listenAddresses);
    }
  }

  /**
   * Addresses of other peers that {@code peerId} told us about through {@code source} (a DHT reply,
   * a gossipsub PRUNE, a peer-exchange reply). The peer manager's address book is their one funnel;
   * nothing here has been dialed or verified beyond what the source checks (signed peer records for
   * gossip PX and PEX).
   */
  record AddressesDiscovered(PeerId peerId, DiscoverySource source, List<PeerAddresses> peers)
      implements NetworkEvent {
    public AddressesDiscovered {
      peers = List.copyOf(peers);
    }
  }
}
