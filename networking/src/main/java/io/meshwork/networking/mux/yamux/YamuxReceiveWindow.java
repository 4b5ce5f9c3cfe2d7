package io.meshwork.networking.mux.yamux;

import java.util.function.LongSupplier;

/**
 * Receive-side flow control of one stream (spec "Flow Control"), with window auto-tuning.
 *
 * <p>The peer may send {@link #credit()} more bytes. Received bytes are {@link #buffered()} until
 * the application consumes them; only consumption earns the peer new credit, so a reader that stops
 * reading stops the sender once the window is used up. A WindowUpdate is due once the consumed, not
 * yet credited bytes reach half the current window (as go-yamux does), which keeps update traffic
 * low.
 *
 * <p>Auto-tuning: when half a window was consumed in less than four round-trip times since the last
 * update, the window (not the reader) limits throughput, so it doubles, up to {@code maxWindow}.
 * With an unknown RTT the window does not grow. Invariant: {@code credit + buffered <= window <=
 * maxWindow}.
 *
 * <p>Sans-IO, not thread-safe: used on the connection's event loop; the clock is injected.
 */
final class YamuxReceiveWindow {
  private final long maxWindow;
  private final LongSupplier nanoClock;
  private long window;
  private long credit = YamuxConfig.SPEC_INITIAL_WINDOW;
  private long buffered;
  private long epochStart;

  YamuxReceiveWindow(int initialWindow, int maxWindow, LongSupplier nanoClock) {
    if (initialWindow < YamuxConfig.SPEC_INITIAL_WINDOW || maxWindow < initialWindow) {
      throw new IllegalArgumentException("bad window bounds " + initialWindow + "/" + maxWindow);
    }
    this.window = initialWindow;
    this.maxWindow = maxWindow;
    this.nanoClock = nanoClock;
    this.epochStart = nanoClock.getAsLong();
  }

  /**
   * The growth to announce with the SYN or ACK window update: the peer assumes the spec's 256 KiB,
   * we may grant more from the start.
   */
  long initialDelta() {
    long delta = window - credit - buffered;
    credit += delta;
    return delta;
  }

  /**
   * Records a Data frame of {@code bytes}. Returns false (and records nothing) when the peer
   * overran the window, which is a protocol error.
   */
  boolean tryReceive(long bytes) {
    if (bytes > credit) {
      return false;
    }
    credit -= bytes;
    buffered += bytes;
    return true;
  }

  /**
   * Records that the application consumed {@code bytes}; returns the delta of the WindowUpdate to
   * send now, or 0 when none is due yet.
   *
   * @param rttNanos the session's last measured round-trip time, 0 if unknown
   */
  long consume(long bytes, long rttNanos) {
    if (bytes < 0 || bytes > buffered) {
      throw new IllegalStateException("consuming " + bytes + " of " + buffered + " buffered bytes");
    }
    buffered -= bytes;
    long delta = window - credit - buffered;
    if (delta < window / 2) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    if (window < maxWindow && rttNanos > 0 && now - epochStart < 4 * rttNanos) {
      window = Math.min(window * 2, maxWindow);
      delta = window - credit - buffered;
    }
    epochStart = now;
    credit += delta;
    return delta;
  }

  /** Bytes the peer may still send. */
  long credit() {
    return credit;
  }

  /** Bytes received and not yet consumed. */
  long buffered() {
    return buffered;
  }

  /** The current window size. */
  long window() {
    return window;
  }
}
