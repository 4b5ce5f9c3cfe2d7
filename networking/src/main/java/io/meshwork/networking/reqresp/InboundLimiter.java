package io.meshwork.networking.reqresp;

import io.meshwork.networking.crypto.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Admission of inbound requests for one protocol (docs/protocols/reqresp.md, "Rate limits"): the
 * peer's concurrency, its token bucket and the protocol's bucket, checked before the request is
 * read. Per-peer state is bounded by {@link #MAX_TRACKED_PEERS} buckets (full ones forgotten first,
 * then the least recently used) and by the peers with exchanges in flight.
 *
 * <p>Sans-IO (injected clock); thread-safe (one lock).
 */
final class InboundLimiter {
  static final int MAX_TRACKED_PEERS = 4096;

  private final ReqRespProtocol protocol;
  private final LongSupplier nanoClock;
  private final TokenBucket protocolBucket;
  private final LinkedHashMap<PeerId, TokenBucket> peerBuckets =
      new LinkedHashMap<>(16, 0.75f, true);
  private final Map<PeerId, Integer> inFlight = new HashMap<>();

  InboundLimiter(ReqRespProtocol protocol, LongSupplier nanoClock) {
    this.protocol = protocol;
    this.nanoClock = nanoClock;
    this.protocolBucket = new TokenBucket(protocol.perProtocol(), nanoClock);
  }

  /**
   * Admits one request of {@code peer}, taking a slot that {@link #release} must give back, or says
   * why not.
   */
  synchronized Optional<String> admit(PeerId peer) {
    int running = inFlight.getOrDefault(peer, 0);
    if (running >= protocol.maxConcurrentPerPeer()) {
      return Optional.of(running + " requests of this peer already in flight");
    }
    if (!peerBucket(peer).tryTake()) {
      return Optional.of("too many requests from this peer");
    }
    if (!protocolBucket.tryTake()) {
      return Optional.of("too many requests for this protocol");
    }
    inFlight.put(peer, running + 1);
    return Optional.empty();
  }

  synchronized void release(PeerId peer) {
    inFlight.computeIfPresent(peer, (p, n) -> n > 1 ? n - 1 : null);
  }

  synchronized int trackedPeers() {
    return peerBuckets.size();
  }

  private TokenBucket peerBucket(PeerId peer) {
    TokenBucket bucket = peerBuckets.get(peer);
    if (bucket == null) {
      makeRoom();
      bucket = new TokenBucket(protocol.perPeer(), nanoClock);
      peerBuckets.put(peer, bucket);
    }
    return bucket;
  }

  private void makeRoom() {
    if (peerBuckets.size() < MAX_TRACKED_PEERS) {
      return;
    }
    peerBuckets.values().removeIf(TokenBucket::isFull);
    if (peerBuckets.size() >= MAX_TRACKED_PEERS) {
      Iterator<TokenBucket> eldest = peerBuckets.values().iterator();
      eldest.next();
      eldest.remove();
    }
  }
}
