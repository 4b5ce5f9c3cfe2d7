package io.meshwork.networking.security.noise;

import java.util.Objects;

/** A Noise handshake failed; {@link #reason()} says why in a form code can act on. */
public final class NoiseHandshakeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a handshake failed. */
  public enum Reason {
    /** A handshake message is too short, has trailing garbage or an undecodable payload. */
    MALFORMED_MESSAGE,
    /** A handshake frame is longer than {@link NoiseHandshake#MAX_HANDSHAKE_MESSAGE_LENGTH}. */
    MESSAGE_TOO_LARGE,
    /** An encrypted handshake field did not authenticate (tampered or wrong keys). */
    DECRYPTION_FAILED,
    /** A remote X25519 key is invalid (for example of small order). */
    INVALID_REMOTE_KEY,
    /** The payload's identity key is missing or cannot be decoded. */
    INVALID_IDENTITY_KEY,
    /** The identity key's signature over the Noise static key does not verify. */
    BAD_IDENTITY_SIGNATURE,
    /** The remote peer id is not the one we dialled. */
    PEER_ID_MISMATCH,
    /** Both sides offered stream muxers and none is common. */
    NO_COMMON_MUXER,
    /** The handshake did not complete in time. */
    TIMEOUT,
    /** The connection closed before the handshake completed. */
    CONNECTION_CLOSED,
    /** The connection failed underneath the handshake. */
    TRANSPORT_ERROR
  }

  private final Reason reason;

  public NoiseHandshakeException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason);
  }

  public NoiseHandshakeException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
