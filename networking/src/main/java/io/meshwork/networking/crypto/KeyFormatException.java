package io.meshwork.networking.crypto;

/** A serialized key is malformed, of an unsupported type, or not a valid point/scalar. */
public final class KeyFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public KeyFormatException(String message) {
    super(message);
  }

  public KeyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
