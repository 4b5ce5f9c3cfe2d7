package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;

/** Everything the host reports, on one mechanism: {@link Host#subscribe}. */
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
}
