package io.meshwork.networking.peers.pex;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.peers.pex.PexRateLimiter.Decision;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets in virtual time: the clock only moves when a test moves it. */
class PexRateLimiterTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private PexRateLimiter limiter(int maxTracked) {
    PexConfig config =
        new PexConfig(32, 65536, 4096, 16, INTERVAL, 3, 2, maxTracked, Duration.ofSeconds(10), 8);
    return new PexRateLimiter(config, now::get);
  }

  private static PeerId peer() {
    return PeerId.fromPublicKey(PrivateKey.generate(KeyType.ED25519).publicKey());
  }

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  @Test
  void allowsABurstThenRateLimitsWithTheTimeUntilTheNextToken() {
    PexRateLimiter limiter = limiter(100);
    PeerId peer = peer();
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.check(peer).decision()).isEqualTo(Decision.ALLOW);
    }
    advance(Duration.ofSeconds(10));
    PexRateLimiter.Verdict refused = limiter.check(peer);
    assertThat(refused.decision()).isEqualTo(Decision.RATE_LIMITED);
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void givesOneTokenBackPerIntervalUpToTheBurst() {
    PexRateLimiter limiter = limiter(100);
    PeerId peer = peer();
    for (int i = 0; i < 3; i++) {
      limiter.check(peer);
    }
    advance(INTERVAL);
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.ALLOW);
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.RATE_LIMITED);

    advance(INTERVAL.multipliedBy(100)); // a long quiet spell refills only up to the burst
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.check(peer).decision()).isEqualTo(Decision.ALLOW);
    }
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.RATE_LIMITED);
  }

  @Test
  void marksAPeerAbusiveAfterMoreThanMaxStrikesInARowAndAServedRequestClearsThem() {
    PexRateLimiter limiter = limiter(100);
    PeerId peer = peer();
    for (int i = 0; i < 3; i++) {
      limiter.check(peer);
    }
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.RATE_LIMITED);
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.RATE_LIMITED);
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.ABUSIVE);
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.ABUSIVE);

    advance(INTERVAL);
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.ALLOW);
    assertThat(limiter.check(peer).decision()).isEqualTo(Decision.RATE_LIMITED);
  }

  @Test
  void limitsEachPeerSeparately() {
    PexRateLimiter limiter = limiter(100);
    PeerId flooder = peer();
    PeerId honest = peer();
    for (int i = 0; i < 10; i++) {
      limiter.check(flooder);
    }
    assertThat(limiter.check(flooder).decision()).isEqualTo(Decision.ABUSIVE);
    assertThat(limiter.check(honest).decision()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void tracksAtMostTheConfiguredNumberOfPeers() {
    PexRateLimiter limiter = limiter(10);
    for (int i = 0; i < 1000; i++) {
      limiter.check(peer());
    }
    assertThat(limiter.trackedPeers()).isEqualTo(10);
  }

  @Test
  void whenFullForgetsRefilledBucketsBeforeThePeerItIsLimiting() {
    PexRateLimiter limiter = limiter(3);
    PeerId flooder = peer();
    for (int i = 0; i < 3; i++) {
      limiter.check(flooder); // its bucket is empty now
    }
    limiter.check(peer());
    limiter.check(peer());
    advance(INTERVAL.multipliedBy(2)); // the quiet two refill; the flooder gets two tokens back

    limiter.check(peer()); // the table is full: room is made

    assertThat(limiter.trackedPeers()).isEqualTo(2);
    // the flooder was the least recently used, yet its bucket was kept: two tokens, not three
    assertThat(limiter.check(flooder).decision()).isEqualTo(Decision.ALLOW);
    assertThat(limiter.check(flooder).decision()).isEqualTo(Decision.ALLOW);
    assertThat(limiter.check(flooder).decision()).isEqualTo(Decision.RATE_LIMITED);
  }
}
