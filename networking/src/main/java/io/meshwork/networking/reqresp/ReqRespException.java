package io.meshwork.networking.reqresp;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a {@link ReqResp#request} failed. The message is one line naming the protocol and the peer;
 * {@link #code()} is present for {@link Kind#REMOTE_ERROR}.
 */
public final class ReqRespException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong (docs/protocols/reqresp.md, "What happens on each error"). */
  public enum Kind {
    /** No whole response within the protocol's timeout; the stream was reset. */
    TIMEOUT,
    /** The peer answered with a code other than OK; see {@link #code()} and the message. */
    REMOTE_ERROR,
    /**
     * Refused locally, without opening a stream: as many requests of this protocol to this peer as
     * its maxConcurrentPerPeer are already in flight, so the peer would refuse it.
     */
    LOCAL_RATE_LIMITED,
    /** The response broke the wire format; the stream was reset. */
    MALFORMED_RESPONSE,
    /** The response declared more than the protocol's maxResponseBytes; nothing was buffered. */
    RESPONSE_TOO_LARGE,
    /** The peer does not speak the protocol id. */
    UNSUPPORTED_PROTOCOL,
    /** Connecting, opening the stream or the stream itself failed (e.g. reset by the peer). */
    STREAM_FAILED,
    /** The {@link ReqResp} was closed. */
    CLOSED
  }

  private final Kind kind;
  private final transient Optional<ResponseCode> code;

  public ReqRespException(Kind kind, String message) {
    this(kind, null, message, null);
  }

  public ReqRespException(Kind kind, String message, Throwable cause) {
    this(kind, null, message, cause);
  }

  private ReqRespException(Kind kind, ResponseCode code, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.code = Optional.ofNullable(code);
  }

  /** The peer's error response {@code code} with its {@code reason}. */
  public static ReqRespException remoteError(ResponseCode code, String message) {
    if (code == ResponseCode.OK) {
      throw new IllegalArgumentException("OK is not an error");
    }
    return new ReqRespException(Kind.REMOTE_ERROR, code, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The peer's response code; present for {@link Kind#REMOTE_ERROR} only. */
  public Optional<ResponseCode> code() {
    return code;
  }
}
