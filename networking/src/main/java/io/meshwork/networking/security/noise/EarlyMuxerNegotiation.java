package io.meshwork.networking.security.noise;

import io.meshwork.networking.security.noise.NoiseHandshakeException.Reason;
import java.util.List;
import java.util.Optional;

/**
 * Early stream-muxer negotiation through {@code NoiseExtensions.stream_muxers} (libp2p noise spec,
 * "Noise Extensions"; connections spec, "Early multiplexer negotiation").
 */
final class EarlyMuxerNegotiation {
  private EarlyMuxerNegotiation() {}

  /**
   * The first protocol of the initiator's list that the responder also lists; empty when either
   * side listed none, so the connection falls back to multistream-select.
   *
   * @throws NoiseHandshakeException with {@link Reason#NO_COMMON_MUXER} when both sides listed
   *     muxers and none is common
   */
  static Optional<String> select(List<String> initiatorMuxers, List<String> responderMuxers)
      throws NoiseHandshakeException {
    if (initiatorMuxers.isEmpty() || responderMuxers.isEmpty()) {
      return Optional.empty();
    }
    for (String muxer : initiatorMuxers) {
      if (responderMuxers.contains(muxer)) {
        return Optional.of(muxer);
      }
    }
    throw new NoiseHandshakeException(
        Reason.NO_COMMON_MUXER,
        "initiator offers " + initiatorMuxers + ", responder supports " + responderMuxers);
  }
}
