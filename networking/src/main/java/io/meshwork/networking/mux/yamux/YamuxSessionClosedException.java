package io.meshwork.networking.mux.yamux;

import java.io.IOException;

/**
 * A stream cannot be opened because the session is closed or going away (GoAway sent or received),
 * or the stream id space is exhausted.
 */
public final class YamuxSessionClosedException extends IOException {
  private static final long serialVersionUID = 1L;

  public YamuxSessionClosedException(String reason) {
    super(reason);
  }
}
