package io.meshwork.networking.core;

import java.nio.ByteBuffer;

/**
 * Receives what arrives on a {@link Stream}. Called on the stream's event loop, one call at a time.
 *
 * <p>The buffer given to {@link #onData} is valid only during the call: copy what must outlive it.
 * Reading is paced by the reader: after {@link Stream#pauseReading()} no more data is delivered and
 * the muxer stops granting the remote peer send credit, so a slow reader slows the sender.
 */
public interface StreamReader {
  /** Bytes received, in order. */
  void onData(ByteBuffer data);

  /** The remote peer closed its side for writing; no more data will come. */
  default void onEndOfStream() {}

  /** The stream failed or was reset; no more calls follow. */
  default void onError(Throwable cause) {}
}
