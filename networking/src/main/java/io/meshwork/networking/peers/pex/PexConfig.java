package io.meshwork.networking.peers.pex;

import java.time.Duration;

/**
 * Limits of the peer exchange protocol (docs/protocols/pex.md, "Limits" and "Rate limits").
 *
 * @param maxPeersPerResponse records per response, sent and accepted
 * @param maxMessageSize largest response body we send or accept, checked before buffering
 * @param maxRecordSize largest signed envelope we forward or accept
 * @param maxAddressesPerRecord addresses kept from one record (the rest are ignored)
 * @param requestInterval one token of a peer's bucket comes back after this long
 * @param burst a peer's bucket capacity: requests it may make at once
 * @param maxStrikes refused requests in a row after which a peer is treated as abusive (its streams
 *     reset, its connection closed)
 * @param maxTrackedPeers buckets kept at once
 * @param requestTimeout for a whole exchange, on both sides
 * @param maxConcurrentRequests our own requests in flight at once; more fail at once
 */
public record PexConfig(
    int maxPeersPerResponse,
    int maxMessageSize,
    int maxRecordSize,
    int maxAddressesPerRecord,
    Duration requestInterval,
    int burst,
    int maxStrikes,
    int maxTrackedPeers,
    Duration requestTimeout,
    int maxConcurrentRequests) {

  public PexConfig {
    requirePositive(maxPeersPerResponse, "maxPeersPerResponse");
    requirePositive(maxMessageSize, "maxMessageSize");
    requirePositive(maxRecordSize, "maxRecordSize");
    requirePositive(maxAddressesPerRecord, "maxAddressesPerRecord");
    requirePositive(burst, "burst");
    requirePositive(maxTrackedPeers, "maxTrackedPeers");
    requirePositive(maxConcurrentRequests, "maxConcurrentRequests");
    if (maxStrikes < 0) {
      throw new IllegalArgumentException("maxStrikes must not be negative");
    }
    if (requestInterval.isNegative() || requestInterval.isZero()) {
      throw new IllegalArgumentException("requestInterval must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
  }

  /** The values of pex.md. */
  public static PexConfig defaults() {
    return new PexConfig(
        32,
        64 * 1024,
        4 * 1024,
        16,
        Duration.ofSeconds(30),
        3,
        8,
        4096,
        Duration.ofSeconds(10),
        64);
  }

  public PexConfig withRateLimit(Duration interval, int burst, int maxStrikes) {
    return new PexConfig(
        maxPeersPerResponse,
        maxMessageSize,
        maxRecordSize,
        maxAddressesPerRecord,
        interval,
        burst,
        maxStrikes,
        maxTrackedPeers,
        requestTimeout,
        maxConcurrentRequests);
  }

  public PexConfig withRequestTimeout(Duration timeout) {
    return new PexConfig(
        maxPeersPerResponse,
        maxMessageSize,
        maxRecordSize,
        maxAddressesPerRecord,
        requestInterval,
        burst,
        maxStrikes,
        maxTrackedPeers,
        timeout,
        maxConcurrentRequests);
  }

  private static void requirePositive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
