package io.meshwork.networking.peers.pex;

import io.meshwork.networking.crypto.PeerId;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-peer token buckets for inbound peer-exchange requests (docs/protocols/pex.md, "Rate limits").
 * A bucket holds {@link PexConfig#burst()} tokens and gets one back every {@link
 * PexConfig#requestInterval()}; a request without a token is a strike, a served one clears them,
 * and more than {@link PexConfig#maxStrikes()} strikes in a row mark the peer abusive.
 *
 * <p>At most {@link PexConfig#maxTrackedPeers()} buckets are kept: when full, buckets that have
 * refilled (indistinguishable from a new one) are forgotten first, then the least recently used.
 * Sans-IO (the clock is a nanosecond {@link LongSupplier}); thread-safe (one lock, O(1) per request
 * except for the sweep when the table is full).
 */
public final class PexRateLimiter {

  /** What to do with one request. */
  public enum Decision {
    /** Serve it. */
    ALLOW,
    /** Refuse it with {@code RATE_LIMITED} and a retry time. */
    RATE_LIMITED,
    /** Refuse it without a reply: reset the stream and drop the peer. */
    ABUSIVE
  }

  /**
   * @param retryAfter when the peer's next token arrives; zero when allowed
   */
  public record Verdict(Decision decision, Duration retryAfter) {}

  private static final class Bucket {
    /** Accumulated credit, in nanoseconds of refill time; one token is {@code intervalNanos}. */
    long credit;

    long updatedNanos;
    int strikes;
  }

  private final long intervalNanos;
  private final long capacityNanos;
  private final int maxStrikes;
  private final int maxTracked;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<PeerId, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

  public PexRateLimiter(PexConfig config, LongSupplier nanoClock) {
    this.intervalNanos = config.requestInterval().toNanos();
    this.capacityNanos = Math.multiplyExact(intervalNanos, (long) config.burst());
    this.maxStrikes = config.maxStrikes();
    this.maxTracked = config.maxTrackedPeers();
    this.nanoClock = nanoClock;
  }

  /**
   * Takes a token from {@code peer}'s bucket if it has one, and says what to do with the request.
   */
  public synchronized Verdict check(PeerId peer) {
    long now = nanoClock.getAsLong();
    Bucket bucket = buckets.get(peer);
    if (bucket == null) {
      makeRoom(now);
      bucket = new Bucket();
      bucket.credit = capacityNanos;
      bucket.updatedNanos = now;
      buckets.put(peer, bucket);
    }
    bucket.credit = creditAt(bucket, now);
    bucket.updatedNanos = now;
    if (bucket.credit >= intervalNanos) {
      bucket.credit -= intervalNanos;
      bucket.strikes = 0;
      return new Verdict(Decision.ALLOW, Duration.ZERO);
    }
    bucket.strikes = bucket.strikes == Integer.MAX_VALUE ? bucket.strikes : bucket.strikes + 1;
    Duration retryAfter = Duration.ofNanos(intervalNanos - bucket.credit);
    return new Verdict(
        bucket.strikes > maxStrikes ? Decision.ABUSIVE : Decision.RATE_LIMITED, retryAfter);
  }

  /** Buckets currently tracked (for metrics and tests). */
  public synchronized int trackedPeers() {
    return buckets.size();
  }

  private long creditAt(Bucket bucket, long now) {
    long elapsed = Math.max(0, now - bucket.updatedNanos);
    return elapsed >= capacityNanos - bucket.credit ? capacityNanos : bucket.credit + elapsed;
  }

  /** Frees one slot if the table is full: refilled buckets first, else the least recently used. */
  private void makeRoom(long now) {
    if (buckets.size() < maxTracked) {
      return;
    }
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket bucket = it.next();
      if (bucket.strikes == 0 && creditAt(bucket, now) == capacityNanos) {
        it.remove();
      }
    }
    if (buckets.size() >= maxTracked) {
      Iterator<Map.Entry<PeerId, Bucket>> eldest = buckets.entrySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }
}
