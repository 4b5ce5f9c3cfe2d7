package io.meshwork.networking.mux.yamux;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ping side of a session (spec "Type Field": Ping with SYN is a request, ACK echoes its opaque
 * value): answers requests, measures the RTT with one ping at start (window auto-tuning needs it),
 * and with a keep-alive interval sends pings periodically, closing the connection when one stays
 * unanswered for {@code pingTimeout}. At most one ping of ours is outstanding.
 *
 * <p>Event-loop confined except {@link #rttNanos()}.
 */
final class YamuxPinger {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxPinger.class);

  private final YamuxHandler session;
  private final YamuxConfig config;
  private final LongSupplier nanoClock;
  private volatile long rttNanos;
  private long opaque;
  private long sentAt;
  private boolean outstanding;
  private boolean started;
  private boolean stopped;
  private ScheduledFuture<?> keepAlive;
  private ScheduledFuture<?> timeout;

  YamuxPinger(YamuxHandler session, YamuxConfig config, LongSupplier nanoClock) {
    this.session = session;
    this.config = config;
    this.nanoClock = nanoClock;
  }

  long rttNanos() {
    return rttNanos;
  }

  void start(EventLoop loop) {
    if (started || stopped) {
      return;
    }
    started = true;
    sendPing();
    long interval = config.keepAliveInterval().toNanos();
    if (interval > 0) {
      keepAlive =
          loop.scheduleAtFixedRate(this::sendPing, interval, interval, TimeUnit.NANOSECONDS);
    }
  }

  void stop() {
    stopped = true;
    if (keepAlive != null) {
      keepAlive.cancel(false);
    }
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  private void sendPing() {
    if (stopped || outstanding) {
      return;
    }
    outstanding = true;
    opaque = (opaque + 1) & YamuxFrame.MAX_LENGTH;
    sentAt = nanoClock.getAsLong();
    session.writeStreamFrame(YamuxFrame.ping(YamuxFrame.SYN, opaque));
    if (!config.keepAliveInterval().isZero()) {
      timeout = session.schedule(this::onTimeout, config.pingTimeout().toNanos());
    }
  }

  /** Handles a Ping frame (no payload, nothing to release). */
  void onPing(YamuxFrame frame) {
    if (frame.has(YamuxFrame.SYN)) {
      session.writeStreamFrame(YamuxFrame.ping(YamuxFrame.ACK, frame.length()));
    } else if (frame.has(YamuxFrame.ACK) && outstanding && frame.length() == opaque) {
      outstanding = false;
      rttNanos = Math.max(1, nanoClock.getAsLong() - sentAt);
      if (timeout != null) {
        timeout.cancel(false);
      }
    }
  }

  private void onTimeout() {
    if (outstanding && !stopped) {
      LOG.warn("yamux ping unanswered for {}: closing the connection", config.pingTimeout());
      session.closeConnection();
    }
  }
}
