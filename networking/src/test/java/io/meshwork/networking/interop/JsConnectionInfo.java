package io.meshwork.networking.interop;

import java.util.Map;
import java.util.Optional;

/**
 * One of the js peer's connections, as it sees it.
 *
 * @param peerId the remote peer
 * @param remoteAddr the remote multiaddr (with {@code /p2p/})
 * @param direction {@code inbound} or {@code outbound}
 * @param muxer the negotiated stream muxer protocol, e.g. {@code /yamux/1.0.0}
 * @param encryption the negotiated security protocol, e.g. {@code /noise}
 * @param status {@code open}, {@code closing}, {@code closed}…
 */
public record JsConnectionInfo(
    String peerId,
    String remoteAddr,
    String direction,
    Optional<String> muxer,
    Optional<String> encryption,
    String status) {

  static JsConnectionInfo fromJson(Map<String, Object> json) {
    return new JsConnectionInfo(
        (String) json.get("peerId"),
        (String) json.get("remoteAddr"),
        (String) json.get("direction"),
        Optional.ofNullable((String) json.get("muxer")),
        Optional.ofNullable((String) json.get("encryption")),
        (String) json.get("status"));
  }
}
