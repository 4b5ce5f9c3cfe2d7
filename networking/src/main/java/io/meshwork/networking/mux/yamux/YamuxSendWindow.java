package io.meshwork.networking.mux.yamux;

/**
 * How many Data bytes we may still send on one stream before the peer credits more (spec "Flow
 * Control": both sides start at 256 KiB and count Data payload bytes only).
 *
 * <p>Sans-IO, not thread-safe: used on the connection's event loop.
 */
final class YamuxSendWindow {
  /** Caps the credit a peer can pile up with repeated updates, far above any real window. */
  static final long MAX_CREDIT = 1L << 40;

  private long available = YamuxConfig.SPEC_INITIAL_WINDOW;

  /** Bytes that may be sent now. */
  long available() {
    return available;
  }

  /** Records {@code bytes} sent in Data frames. */
  void consume(long bytes) {
    if (bytes < 0 || bytes > available) {
      throw new IllegalStateException(
          "sending " + bytes + " bytes exceeds the send window of " + available);
    }
    available -= bytes;
  }

  /**
   * Adds the delta of a WindowUpdate frame (never for frames carrying RST: go-yamux puts an error
   * code in their length).
   */
  void credit(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("negative window delta " + delta);
    }
    available = Math.min(available + delta, MAX_CREDIT);
  }
}
