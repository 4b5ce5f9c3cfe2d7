package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import java.io.IOException;

/** The host's {@link ConnectionGater} refused a connection to or from {@link #peer()}. */
public final class ConnectionDeniedException extends IOException {
  private final transient PeerId peer;

  public ConnectionDeniedException(PeerId peer, String reason) {
    super("connection to " + peer + " denied: " + reason);
    this.peer = peer;
  }

  public PeerId peer() {
    return peer;
  }
}
