package io.meshwork.networking.transport;

import java.io.IOException;

/** The upgrade of a raw connection failed; the message says at which step and why. */
public final class UpgradeException extends IOException {
  public UpgradeException(String message, Throwable cause) {
    super(message, cause);
  }

  public UpgradeException(String message) {
    super(message);
  }
}
