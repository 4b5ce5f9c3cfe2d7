package io.meshwork.networking.protocol;

import java.io.IOException;

/** A peer broke a protocol's rules; the message says which. The stream is reset. */
public final class ProtocolViolationException extends IOException {
  public ProtocolViolationException(String message) {
    super(message);
  }
}
