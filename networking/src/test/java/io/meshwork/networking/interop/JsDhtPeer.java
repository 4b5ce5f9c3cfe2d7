package io.meshwork.networking.interop;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A peer as the js DHT reported it.
 *
 * @param peerId the peer (base58)
 * @param addrs its multiaddrs, without {@code /p2p/}
 * @param from for {@link JsPeer#dhtFindPeer}, the peer whose reply carried it; empty otherwise
 */
public record JsDhtPeer(String peerId, List<String> addrs, Optional<String> from) {

  public JsDhtPeer {
    addrs = List.copyOf(addrs);
  }

  @SuppressWarnings("unchecked")
  static JsDhtPeer fromJson(Map<String, Object> json) {
    return new JsDhtPeer(
        (String) json.get("peerId"),
        (List<String>) json.get("addrs"),
        Optional.ofNullable((String) json.get("from")));
  }
}
