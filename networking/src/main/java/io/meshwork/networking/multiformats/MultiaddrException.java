package io.meshwork.networking.multiformats;

/** A multiaddr, in text or binary, that is malformed; the message says where and why. */
public final class MultiaddrException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MultiaddrException(String message) {
    super(message);
  }

  public MultiaddrException(String message, Throwable cause) {
    super(message, cause);
  }
}
