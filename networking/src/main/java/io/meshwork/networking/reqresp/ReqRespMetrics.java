package io.meshwork.networking.reqresp;

import java.util.Map;

/**
 * A snapshot of one protocol's counters since {@link ReqResp#start}.
 *
 * @param requestsSent outbound requests started
 * @param requestsSucceeded outbound requests that completed with an OK payload
 * @param requestsServed inbound requests answered (any code, rate-limited ones included)
 * @param failures outbound failures by kind
 * @param rateLimited inbound requests refused with RATE_LIMITED
 * @param invalidRequests inbound requests refused with INVALID_REQUEST
 * @param serverErrors inbound requests answered SERVER_ERROR (handler failures)
 * @param resourceUnavailable inbound requests refused because the handler queue was full
 * @param inboundTimeouts inbound exchanges reset by the responder's timeout
 * @param bytesIn frame bytes received (compressed, both directions of use)
 * @param bytesOut frame bytes sent (compressed, code bytes included)
 */
public record ReqRespMetrics(
    long requestsSent,
    long requestsSucceeded,
    long requestsServed,
    Map<ReqRespException.Kind, Long> failures,
    long rateLimited,
    long invalidRequests,
    long serverErrors,
    long resourceUnavailable,
    long inboundTimeouts,
    long bytesIn,
    long bytesOut) {

  public ReqRespMetrics {
    failures = Map.copyOf(failures);
  }

  /** Outbound requests that timed out. */
  public long timeouts() {
    return failures.getOrDefault(ReqRespException.Kind.TIMEOUT, 0L);
  }
}
