package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

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

  /**
   * The peer manager banned {@code peerId} until {@code until}: it was disconnected, and
   * connections to or from it are refused until then.
   */
  record PeerBanned(PeerId peerId, String reason, Instant until) implements NetworkEvent {
    public PeerBanned {
      Objects.requireNonNull(reason);
      Objects.requireNonNull(until);
    }
  }

  /**
   * The ban of {@code peerId} ended: it expired, or the peer manager lifted it early ({@code
   * unban}). Connections to and from the peer are allowed again.
   */
  record PeerUnbanned(PeerId peerId) implements NetworkEvent {}

  /**
   * The peer manager could not connect to {@code peerId} at {@code address}; it will not dial the
   * peer again for {@code retryIn} (its exponential backoff with jitter).
   */
  record DialFailed(PeerId peerId, Multiaddr address, String reason, Duration retryIn)
      implements NetworkEvent {
    public DialFailed {
      Objects.requireNonNull(address);
      Objects.requireNonNull(reason);
      Objects.requireNonNull(retryIn);
    }
  }

  /**
   * The peer manager closed its outbound connection to {@code peerId} on purpose, so that a new
   * outbound peer from the address book takes its slot (periodic rotation against eclipse attacks).
   */
  record OutboundRotated(PeerId peerId) implements NetworkEvent {}

  /**
   * A feeler connection, a short dial that tests an address from the address book's new table
   * (addrman's "test new addresses"), ended; {@code reachable} tells whether it connected.
   */
  record FeelerDone(PeerId peerId, boolean reachable) implements NetworkEvent {}

  /**
   * {@code peerId} broke {@code protocol}'s rules (a malformed or forged reply, a request flood).
   * The service that saw it has already closed the stream or connection; the peer manager counts
   * these and bans a peer that keeps misbehaving.
   */
  record PeerMisbehaved(PeerId peerId, String protocol, String reason) implements NetworkEvent {
    public PeerMisbehaved {
      Objects.requireNonNull(protocol);
      Objects.requireNonNull(reason);
    }
  }
}
