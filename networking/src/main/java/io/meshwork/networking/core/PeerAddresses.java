package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;
import java.util.Objects;

/** A peer and addresses it may be reached at (without {@code /p2p}). */
public record PeerAddresses(PeerId peerId, List<Multiaddr> addresses) {
  public PeerAddresses {
    Objects.requireNonNull(peerId);
    addresses = List.copyOf(addresses);
  }
}
