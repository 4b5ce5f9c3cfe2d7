package io.meshwork.networking.security.noise;

import io.netty.handler.codec.DecoderException;

/**
 * The Noise transport phase received a frame it must not accept (a failed authentication tag or a
 * frame too short to hold one); the connection is closed.
 */
public final class NoiseTransportException extends DecoderException {
  private static final long serialVersionUID = 1L;

  public NoiseTransportException(String message) {
    super(message);
  }

  public NoiseTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
