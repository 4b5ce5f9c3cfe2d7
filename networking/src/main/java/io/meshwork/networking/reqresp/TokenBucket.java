package io.meshwork.networking.reqresp;

import java.util.function.LongSupplier;

/**
 * A token bucket (docs/protocols/reqresp.md, "Rate limits"): holds at most {@link
 * RateLimit#burst()} tokens, starts full and regains one every {@link RateLimit#refillEvery()}.
 *
 * <p>Sans-IO: time comes from the injected nanosecond clock. Thread-safe (one lock, O(1)).
 */
public final class TokenBucket {
  private final boolean unlimited;
  private final long intervalNanos;
  private final long capacityNanos;
  private final LongSupplier nanoClock;

  /** Credit in nanoseconds of refill time; one token is {@code intervalNanos}. */
  private long credit;

  private long updatedNanos;

  public TokenBucket(RateLimit limit, LongSupplier nanoClock) {
    this.unlimited = limit.isUnlimited();
    this.intervalNanos = limit.refillEvery().toNanos();
    this.capacityNanos = unlimited ? 0 : saturatedMultiply(intervalNanos, limit.burst());
    this.nanoClock = nanoClock;
    this.credit = capacityNanos;
    this.updatedNanos = nanoClock.getAsLong();
  }

  /** Takes a token if there is one. */
  public synchronized boolean tryTake() {
    if (unlimited) {
      return true;
    }
    refill();
    if (credit >= intervalNanos) {
      credit -= intervalNanos;
      return true;
    }
    return false;
  }

  /** Whole tokens available now. */
  public synchronized long available() {
    if (unlimited) {
      return Long.MAX_VALUE;
    }
    refill();
    return credit / intervalNanos;
  }

  /** Whether the bucket is full, i.e. indistinguishable from a new one. */
  synchronized boolean isFull() {
    if (unlimited) {
      return true;
    }
    refill();
    return credit == capacityNanos;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    long elapsed = Math.max(0, now - updatedNanos);
    updatedNanos = now;
    credit = elapsed >= capacityNanos - credit ? capacityNanos : credit + elapsed;
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return high != 0 || low < 0 ? Long.MAX_VALUE : low;
  }
}
