package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;

/** Everything the host reports, on one mechanism: {@link Host#subscribe}. */
public sealed interface NetworkEvent {
  PeerId peerId();

  /** A connection to a peer was established (secured and multiplexed). */
  record PeerConnected(PeerId peerId, Connection connection) implements NetworkEvent {}

  /** A connection to a peer closed; {@code remainingConnections} are still open to it. */
  record PeerDisconnected(PeerId peerId, Connection connection, int remainingConnections)
      implements NetworkEvent {}

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
