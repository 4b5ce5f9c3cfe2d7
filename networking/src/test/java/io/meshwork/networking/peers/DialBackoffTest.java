package io.meshwork.networking.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DialBackoffTest {
  private static final Duration BASE = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofMinutes(10);
  private final ManualClock clock = new ManualClock();
  private final PeerId peer = newPeer();

  static PeerId newPeer() {
    return PeerId.fromPublicKey(PrivateKey.generate(KeyType.ED25519).publicKey());
  }

  private DialBackoff backoff(DialBackoff.Jitter jitter, int capacity) {
    return new DialBackoff(BASE, MAX, jitter, capacity, clock, new SplittableRandom(7));
  }

  @Test
  void fullJitterStaysBetweenTheBaseAndTheDoublingCeiling() {
    for (int run = 0; run < 200; run++) {
      DialBackoff backoff = backoff(DialBackoff.Jitter.FULL, 8);
      for (int failures = 1; failures <= 20; failures++) {
        Duration delay = backoff.failed(peer);
        Duration ceiling = BASE.multipliedBy(1L << Math.min(failures - 1, 30));
        assertThat(delay).isBetween(BASE, ceiling.compareTo(MAX) < 0 ? ceiling : MAX);
      }
    }
  }

  @Test
  void fullJitterSpreadsDelaysRatherThanRepeatingTheCeiling() {
    DialBackoff backoff = backoff(DialBackoff.Jitter.FULL, 8);
    for (int i = 0; i < 10; i++) {
      backoff.failed(peer);
    }
    // After 10 failures the ceiling is 512 s: draws should land all over [1 s, 512 s].
    long distinct =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> backoff.failed(peer).toSeconds())
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(20);
  }

  @Test
  void decorrelatedJitterStaysBetweenTheBaseAndThreeTimesThePreviousDelay() {
    DialBackoff backoff = backoff(DialBackoff.Jitter.DECORRELATED, 8);
    Duration previous = BASE;
    for (int failures = 1; failures <= 200; failures++) {
      Duration delay = backoff.failed(peer);
      Duration ceiling = previous.multipliedBy(3);
      assertThat(delay).isBetween(BASE, ceiling.compareTo(MAX) < 0 ? ceiling : MAX);
      previous = delay;
    }
  }

  @Test
  void backsOffUntilTheDelayHasPassed() {
    DialBackoff backoff = backoff(DialBackoff.Jitter.FULL, 8);
    Duration delay = backoff.failed(peer);

    assertThat(backoff.isBackingOff(peer)).isTrue();
    assertThat(backoff.retryAt(peer)).contains(clock.instant().plus(delay));
    clock.advance(delay.minusNanos(1));
    assertThat(backoff.isBackingOff(peer)).isTrue();
    clock.advance(Duration.ofNanos(1));
    assertThat(backoff.isBackingOff(peer)).isFalse();
    assertThat(backoff.failures(peer)).isEqualTo(1);
  }

  @Test
  void aSuccessfulDialResetsTheBackoff() {
    DialBackoff backoff = backoff(DialBackoff.Jitter.FULL, 8);
    for (int i = 0; i < 12; i++) {
      backoff.failed(peer);
    }
    backoff.succeeded(peer);

    assertThat(backoff.isBackingOff(peer)).isFalse();
    assertThat(backoff.failures(peer)).isZero();
    assertThat(backoff.failed(peer)).isBetween(BASE, BASE);
  }

  @Test
  void forgetsTheOldestPeerBeyondItsCapacity() {
    DialBackoff backoff = backoff(DialBackoff.Jitter.FULL, 3);
    PeerId first = newPeer();
    backoff.failed(first);
    for (int i = 0; i < 3; i++) {
      backoff.failed(newPeer());
    }

    assertThat(backoff.size()).isEqualTo(3);
    assertThat(backoff.isBackingOff(first)).isFalse();
    assertThat(backoff.failures(first)).isZero();
  }

  @Test
  void pruneForgetsPeersLongAfterTheirWaitEnded() {
    DialBackoff backoff = backoff(DialBackoff.Jitter.FULL, 8);
    backoff.failed(peer);
    backoff.failed(peer);
    clock.advance(MAX.multipliedBy(2).plusSeconds(5));

    backoff.prune();

    assertThat(backoff.failures(peer)).isZero();
    assertThat(backoff.size()).isZero();
  }

  @Test
  void rejectsAMaximumBelowTheBase() {
    assertThatThrownBy(
            () ->
                new DialBackoff(
                    MAX, BASE, DialBackoff.Jitter.FULL, 8, clock, new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base <= max");
  }
}
