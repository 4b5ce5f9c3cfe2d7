package io.meshwork.networking.peers.pex;

import io.meshwork.networking.peers.pex.pb.PexProto.PexResponse.Status;
import java.time.Duration;

/**
 * The peer answered our request with an error status instead of records (pex.md, "Messages"):
 * usually {@code RATE_LIMITED}, with the time after which we may ask again.
 */
public final class PexRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final Duration retryAfter;

  public PexRejectedException(Status status, Duration retryAfter) {
    super("peer exchange request refused: " + status + ", retry after " + retryAfter);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public Status status() {
    return status;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
