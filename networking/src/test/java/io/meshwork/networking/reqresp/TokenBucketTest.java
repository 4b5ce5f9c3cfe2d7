package io.meshwork.networking.reqresp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void startsFullAndRefusesOnceTheBurstIsSpent() {
    TokenBucket bucket = new TokenBucket(new RateLimit(3, Duration.ofSeconds(1)), now::get);
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();
  }

  @Test
  void regainsOneTokenPerRefillInterval() {
    TokenBucket bucket = new TokenBucket(new RateLimit(2, Duration.ofSeconds(1)), now::get);
    bucket.tryTake();
    bucket.tryTake();
    advance(Duration.ofMillis(999));
    assertThat(bucket.tryTake()).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();
  }

  @Test
  void neverHoldsMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(new RateLimit(2, Duration.ofSeconds(1)), now::get);
    advance(Duration.ofDays(1));
    assertThat(bucket.available()).isEqualTo(2);
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();
  }

  @Test
  void keepsPartialCreditAcrossRefusals() {
    TokenBucket bucket = new TokenBucket(new RateLimit(1, Duration.ofSeconds(1)), now::get);
    bucket.tryTake();
    advance(Duration.ofMillis(600));
    assertThat(bucket.tryTake()).isFalse();
    advance(Duration.ofMillis(400));
    assertThat(bucket.tryTake()).isTrue();
  }

  @Test
  void ignoresAClockThatGoesBackwards() {
    TokenBucket bucket = new TokenBucket(new RateLimit(1, Duration.ofSeconds(1)), now::get);
    bucket.tryTake();
    advance(Duration.ofSeconds(-10));
    assertThat(bucket.tryTake()).isFalse();
  }

  @Test
  void anUnlimitedBucketNeverRefuses() {
    TokenBucket bucket = new TokenBucket(RateLimit.unlimited(), now::get);
    for (int i = 0; i < 10_000; i++) {
      assertThat(bucket.tryTake()).isTrue();
    }
  }

  @Test
  void aHugeBurstDoesNotOverflow() {
    TokenBucket bucket =
        new TokenBucket(new RateLimit(Integer.MAX_VALUE, Duration.ofDays(1)), now::get);
    assertThat(bucket.tryTake()).isTrue();
  }

  @Test
  void rejectsABurstBelowOne() {
    assertThatThrownBy(() -> new RateLimit(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
