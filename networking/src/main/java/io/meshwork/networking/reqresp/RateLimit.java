package io.meshwork.networking.reqresp;

import java.time.Duration;
import java.util.Objects;

/**
 * Token bucket: holds at most burst tokens, regains one every refillEvery. A request takes one
 * token; {@link #unlimited()} never runs out.
 */
public record RateLimit(int burst, Duration refillEvery) {
  private static final RateLimit UNLIMITED = new RateLimit(Integer.MAX_VALUE, Duration.ZERO);

  public RateLimit {
    Objects.requireNonNull(refillEvery, "refillEvery");
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    if (refillEvery.isNegative()) {
      throw new IllegalArgumentException("refillEvery must not be negative: " + refillEvery);
    }
  }

  /** A limit that never refuses (a zero refill interval). */
  public static RateLimit unlimited() {
    return UNLIMITED;
  }

  public boolean isUnlimited() {
    return refillEvery.isZero();
  }
}
