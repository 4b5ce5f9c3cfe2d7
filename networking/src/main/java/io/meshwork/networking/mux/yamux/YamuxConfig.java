package io.meshwork.networking.mux.yamux;

import java.time.Duration;
import java.util.Objects;

/**
 * Yamux session settings.
 *
 * @param initialWindow receive window of each new stream; at least the spec's 256 KiB (the peer
 *     assumes 256 KiB, so a larger value is announced with the SYN / ACK window update)
 * @param maxWindow upper bound the receive window auto-tunes towards (go-yamux: 16 MiB); it also
 *     bounds the bytes buffered for one stream whose reader stalls
 * @param maxInboundStreams streams the peer may have open at once; a SYN beyond it gets RST
 * @param maxFrameDataLength largest Data frame accepted from the peer; we send frames of at most
 *     {@code min(maxFrameDataLength, }{@link #MAX_SENT_FRAME_DATA}{@code )} bytes
 * @param keepAliveInterval interval between keep-alive pings; {@link Duration#ZERO} turns them off
 * @param pingTimeout a ping unanswered for this long closes the connection
 */
public record YamuxConfig(
    int initialWindow,
    int maxWindow,
    int maxInboundStreams,
    int maxFrameDataLength,
    Duration keepAliveInterval,
    Duration pingTimeout) {

  /** The window both sides assume for a new stream (spec "Flow Control"). */
  public static final int SPEC_INITIAL_WINDOW = 256 * 1024;

  /**
   * Largest Data payload we send: one frame plus its header fits one Noise transport message (65535
   * - 16 byte tag), so the secure channel below never splits a Yamux frame.
   */
  public static final int MAX_SENT_FRAME_DATA = 65_519 - YamuxFrame.HEADER_LENGTH;

  public YamuxConfig {
    Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    Objects.requireNonNull(pingTimeout, "pingTimeout");
    if (initialWindow < SPEC_INITIAL_WINDOW) {
      throw new IllegalArgumentException(
          "initialWindow must be at least " + SPEC_INITIAL_WINDOW + ": " + initialWindow);
    }
    if (maxWindow < initialWindow) {
      throw new IllegalArgumentException("maxWindow must be at least initialWindow");
    }
    if (maxInboundStreams <= 0) {
      throw new IllegalArgumentException("maxInboundStreams must be positive");
    }
    if (maxFrameDataLength <= 0) {
      throw new IllegalArgumentException("maxFrameDataLength must be positive");
    }
    if (keepAliveInterval.isNegative()) {
      throw new IllegalArgumentException("keepAliveInterval must not be negative");
    }
    if (!keepAliveInterval.isZero() && (pingTimeout.isNegative() || pingTimeout.isZero())) {
      throw new IllegalArgumentException("pingTimeout must be positive when keep-alive is on");
    }
  }

  /** 256 KiB initial window growing to 16 MiB, 256 inbound streams, 16 MiB frames, 30 s pings. */
  public static YamuxConfig defaults() {
    return new YamuxConfig(
        SPEC_INITIAL_WINDOW,
        16 * 1024 * 1024,
        256,
        16 * 1024 * 1024,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10));
  }

  /** Size of the Data frames we send. */
  public int sentFrameDataLength() {
    return Math.min(maxFrameDataLength, MAX_SENT_FRAME_DATA);
  }

  /** A copy with another keep-alive interval. */
  public YamuxConfig withKeepAliveInterval(Duration interval) {
    return new YamuxConfig(
        initialWindow, maxWindow, maxInboundStreams, maxFrameDataLength, interval, pingTimeout);
  }

  /** A copy with another inbound stream limit. */
  public YamuxConfig withMaxInboundStreams(int limit) {
    return new YamuxConfig(
        initialWindow, maxWindow, limit, maxFrameDataLength, keepAliveInterval, pingTimeout);
  }

  /** A copy with other window bounds. */
  public YamuxConfig withWindows(int initial, int max) {
    return new YamuxConfig(
        initial, max, maxInboundStreams, maxFrameDataLength, keepAliveInterval, pingTimeout);
  }
}
