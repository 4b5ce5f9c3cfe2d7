package io.meshwork.networking.peers;

import io.meshwork.networking.crypto.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before dialing a peer again after failed dials: exponential backoff with jitter,
 * so that many nodes that lost the same peer do not all retry in step. Jitter per "Exponential
 * Backoff And Jitter" (AWS architecture blog): {@link Jitter#FULL} draws uniformly below the
 * exponential ceiling, {@link Jitter#DECORRELATED} draws between the base and three times the
 * previous delay. Every delay is at least {@code base} (a dead peer is never dialed in a busy loop)
 * and at most {@code max}.
 *
 * <p>Remembers at most {@code capacity} peers; the one whose backoff was set longest ago is
 * forgotten first. Not thread-safe: owned by the peer manager's thread.
 */
public final class DialBackoff {
  /** How the delay is drawn. */
  public enum Jitter {
    /** Uniform in [base, min(max, base * 2^failures)]. */
    FULL,
    /** Uniform in [base, min(max, 3 * previous delay)]. */
    DECORRELATED
  }

  private record State(int failures, Duration delay, Instant retryAt) {}

  private final Duration base;
  private final Duration max;
  private final Jitter jitter;
  private final int capacity;
  private final Clock clock;
  private final RandomGenerator random;
  private final LinkedHashMap<PeerId, State> states = new LinkedHashMap<>();

  public DialBackoff(
      Duration base,
      Duration max,
      Jitter jitter,
      int capacity,
      Clock clock,
      RandomGenerator random) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max, got " + base + " and " + max);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.base = base;
    this.max = max;
    this.jitter = jitter;
    this.capacity = capacity;
    this.clock = clock;
    this.random = random;
  }

  /** Records a failed dial of {@code peer}; returns how long until it may be dialed again. */
  public Duration failed(PeerId peer) {
    State previous = states.remove(peer);
    int failures = previous == null ? 1 : previous.failures() + 1;
    Duration delay = nextDelay(failures, previous == null ? base : previous.delay());
    states.put(peer, new State(failures, delay, clock.instant().plus(delay)));
    if (states.size() > capacity) {
      Iterator<PeerId> oldest = states.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return delay;
  }

  private Duration nextDelay(int failures, Duration previous) {
    long baseNanos = base.toNanos();
    long ceiling =
        switch (jitter) {
          case FULL -> saturatedShift(baseNanos, failures - 1);
          case DECORRELATED -> saturatedMultiply(previous.toNanos(), 3);
        };
    ceiling = Math.min(ceiling, max.toNanos());
    long nanos = ceiling <= baseNanos ? baseNanos : random.nextLong(baseNanos, ceiling + 1);
    return Duration.ofNanos(nanos);
  }

  /** {@code value * 2^bits}, or Long.MAX_VALUE where that would overflow. */
  private static long saturatedShift(long value, int bits) {
    return bits >= Long.numberOfLeadingZeros(value) - 1 ? Long.MAX_VALUE : value << bits;
  }

  private static long saturatedMultiply(long value, int factor) {
    return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
  }

  /** A dial worked: forget the peer's failures. */
  public void succeeded(PeerId peer) {
    states.remove(peer);
  }

  /** Whether {@code peer} must not be dialed yet. */
  public boolean isBackingOff(PeerId peer) {
    State state = states.get(peer);
    return state != null && clock.instant().isBefore(state.retryAt());
  }

  /** When {@code peer} may be dialed again, if it is backing off now. */
  public Optional<Instant> retryAt(PeerId peer) {
    return isBackingOff(peer) ? Optional.of(states.get(peer).retryAt()) : Optional.empty();
  }

  /** Failed dials of {@code peer} since its last success (0 if unknown or forgotten). */
  public int failures(PeerId peer) {
    State state = states.get(peer);
    return state == null ? 0 : state.failures();
  }

  /**
   * Forgets peers whose wait ended more than {@code max} ago: after that long a peer starts afresh.
   */
  public void prune() {
    Instant forgetBefore = clock.instant().minus(max);
    states.values().removeIf(s -> s.retryAt().isBefore(forgetBefore));
  }

  /** Peers backing off now. */
  public int backingOffCount() {
    Instant now = clock.instant();
    int count = 0;
    for (Map.Entry<PeerId, State> e : states.entrySet()) {
      if (now.isBefore(e.getValue().retryAt())) {
        count++;
      }
    }
    return count;
  }

  /** Peers remembered (backing off or recently did). */
  public int size() {
    return states.size();
  }
}
