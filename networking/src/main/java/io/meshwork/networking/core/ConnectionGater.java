package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.Optional;

/**
 * Decides whether the host may keep a connection to a peer, e.g. because the peer manager banned
 * it. The host asks before it dials a known peer id (the dial then fails at once with a {@link
 * ConnectionDeniedException}) and again once the Noise handshake proved who the remote peer is, in
 * both directions, before the connection is announced; a denied connection is closed and logged.
 *
 * <p>Called on Netty event loops and dialing threads: must be fast, non-blocking and thread-safe.
 */
@FunctionalInterface
public interface ConnectionGater {
  /** Allows every connection: the host's default. */
  ConnectionGater ALLOW_ALL = (peer, remoteAddress, direction) -> Optional.empty();

  /**
   * Returns why the connection must not be kept, or empty to allow it.
   *
   * @param remoteAddress the address dialed (outbound) or the remote socket address (inbound)
   */
  Optional<String> deny(PeerId peer, Multiaddr remoteAddress, Direction direction);
}
