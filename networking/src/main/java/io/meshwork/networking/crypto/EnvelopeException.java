package io.meshwork.networking.crypto;

/** A signed envelope (RFC 0002) or its payload is malformed or its signature does not verify. */
public final class EnvelopeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public EnvelopeException(String message) {
    super(message);
  }

  public EnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
