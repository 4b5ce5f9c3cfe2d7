package io.meshwork.networking.reqresp;

import java.time.Duration;
import java.util.Objects;

/**
 * One request/response protocol and its limits (docs/protocols/reqresp.md, "Limits and timeouts").
 *
 * @param id the libp2p protocol id negotiated on each stream
 * @param maxRequestBytes cap on the uncompressed request, enforced by the responder
 * @param maxResponseBytes cap on the uncompressed OK payload, enforced by the requester
 * @param timeout bound on a whole exchange, on both sides
 * @param perPeer token bucket per requesting peer (responder side)
 * @param perProtocol one token bucket for all requesters (responder side)
 * @param maxConcurrentPerPeer inbound exchanges of one peer served at once
 */
public record ReqRespProtocol(
    String id,
    int maxRequestBytes,
    int maxResponseBytes,
    Duration timeout,
    RateLimit perPeer,
    RateLimit perProtocol,
    int maxConcurrentPerPeer) {

  /** Caps above this would overflow Snappy's bound on the compressed length. */
  public static final int MAX_CAP = 1 << 30;

  public ReqRespProtocol {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(perPeer, "perPeer");
    Objects.requireNonNull(perProtocol, "perProtocol");
    if (!id.startsWith("/")) {
      throw new IllegalArgumentException("a protocol id starts with '/': " + id);
    }
    checkCap("maxRequestBytes", maxRequestBytes);
    checkCap("maxResponseBytes", maxResponseBytes);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (maxConcurrentPerPeer < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentPerPeer must be at least 1, got " + maxConcurrentPerPeer);
    }
  }

  private static void checkCap(String name, int value) {
    if (value < 0 || value > MAX_CAP) {
      throw new IllegalArgumentException(name + " must be in [0, 2^30], got " + value);
    }
  }
}
