package io.meshwork.networking.security.noise;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a successful Noise handshake: who the remote peer is (its identity key signed our
 * session's Noise static key) and the stream muxer agreed through the handshake's extensions, if
 * any (empty: negotiate one with multistream-select).
 */
public record SecureSession(
    PeerId remotePeerId, PublicKey remotePublicKey, Optional<String> earlyMuxer) {
  public SecureSession {
    Objects.requireNonNull(remotePeerId);
    Objects.requireNonNull(remotePublicKey);
    Objects.requireNonNull(earlyMuxer);
  }
}
