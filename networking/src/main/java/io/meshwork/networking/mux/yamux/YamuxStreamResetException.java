package io.meshwork.networking.mux.yamux;

import java.io.IOException;

/**
 * The peer reset a stream (RST flag) or refused to open it. Fired as {@code exceptionCaught} in the
 * stream channel's pipeline just before the stream channel closes.
 */
public final class YamuxStreamResetException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int streamId;

  public YamuxStreamResetException(int streamId, String reason) {
    super("yamux stream " + Integer.toUnsignedString(streamId) + " reset: " + reason);
    this.streamId = streamId;
  }

  /** The stream that was reset. */
  public int streamId() {
    return streamId;
  }
}
