package io.meshwork.networking.reqresp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.crypto.Ed25519PrivateKey;
import io.meshwork.networking.crypto.PeerId;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboundLimiterTest {
  private final AtomicLong now = new AtomicLong();
  private final PeerId alice = peer();
  private final PeerId bob = peer();

  private static int seeds;

  private static PeerId peer() {
    byte[] seed = new byte[32];
    java.nio.ByteBuffer.wrap(seed).putInt(++seeds);
    return PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(seed).publicKey());
  }

  private static ReqRespProtocol protocol(
      RateLimit perPeer, RateLimit perProtocol, int concurrent) {
    return new ReqRespProtocol(
        "/meshwork/test/1", 100, 100, Duration.ofSeconds(1), perPeer, perProtocol, concurrent);
  }

  @Test
  void aPeerAtItsConcurrencyLimitIsRefusedUntilARequestIsReleased() {
    InboundLimiter limiter =
        new InboundLimiter(protocol(RateLimit.unlimited(), RateLimit.unlimited(), 2), now::get);
    assertThat(limiter.admit(alice)).isEmpty();
    assertThat(limiter.admit(alice)).isEmpty();
    assertThat(limiter.admit(alice)).isPresent();
    assertThat(limiter.admit(bob)).as("other peers have their own slots").isEmpty();
    limiter.release(alice);
    assertThat(limiter.admit(alice)).isEmpty();
  }

  @Test
  void eachPeerHasItsOwnBucket() {
    InboundLimiter limiter =
        new InboundLimiter(
            protocol(new RateLimit(1, Duration.ofSeconds(10)), RateLimit.unlimited(), 10),
            now::get);
    assertThat(limiter.admit(alice)).isEmpty();
    assertThat(limiter.admit(alice)).hasValueSatisfying(r -> assertThat(r).contains("peer"));
    assertThat(limiter.admit(bob)).isEmpty();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(limiter.admit(alice)).isEmpty();
  }

  @Test
  void theProtocolBucketIsSharedByAllPeers() {
    InboundLimiter limiter =
        new InboundLimiter(
            protocol(RateLimit.unlimited(), new RateLimit(2, Duration.ofSeconds(10)), 10),
            now::get);
    assertThat(limiter.admit(alice)).isEmpty();
    assertThat(limiter.admit(bob)).isEmpty();
    assertThat(limiter.admit(peer())).hasValueSatisfying(r -> assertThat(r).contains("protocol"));
  }

  @Test
  void tracksABoundedNumberOfPeers() {
    InboundLimiter limiter =
        new InboundLimiter(
            protocol(new RateLimit(1, Duration.ofSeconds(10)), RateLimit.unlimited(), 10),
            now::get);
    for (int i = 0; i < InboundLimiter.MAX_TRACKED_PEERS + 10; i++) {
      PeerId peer = peer();
      limiter.admit(peer);
      limiter.release(peer);
    }
    assertThat(limiter.trackedPeers()).isLessThanOrEqualTo(InboundLimiter.MAX_TRACKED_PEERS);
  }
}
