package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;

/** A DHT contact: a peer id and the addresses we know for it (without {@code /p2p}). */
public record KadPeer(PeerId id, List<Multiaddr> addresses) {
  public KadPeer {
    addresses = List.copyOf(addresses);
  }

  public KadKey key() {
    return KadKey.ofPeer(id);
  }

  /** The same peer with other addresses. */
  public KadPeer withAddresses(List<Multiaddr> newAddresses) {
    return new KadPeer(id, newAddresses);
  }
}
