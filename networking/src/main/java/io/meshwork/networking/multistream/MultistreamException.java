package io.meshwork.networking.multistream;

import java.io.IOException;
import java.util.Objects;

/**
 * A multistream-select negotiation failed. It is a checked {@link IOException} because every cause
 * is a fact about the remote peer or the channel (a refusal, a malformed message, a timeout, an
 * early close), never a programming error; callers of the Netty handlers receive it through {@link
 * NegotiationListener#failed(Throwable)}.
 *
 * <p>The two subtypes mark the causes callers usually treat apart: {@link
 * NoProtocolAgreedException} (the peer is well behaved but speaks none of our protocols) and {@link
 * MultistreamProtocolException} (the peer broke the protocol). Timeouts and channel failures are
 * plain {@code MultistreamException}s; {@link #reason()} tells every case apart.
 */
public sealed class MultistreamException extends IOException
    permits NoProtocolAgreedException, MultistreamProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why a negotiation failed. */
  public enum Reason {
    /** Every proposal was answered {@code na}, or the peer made too many proposals. */
    NO_PROTOCOL_AGREED,
    /** A message could not be decoded: bad varint, too long, no trailing newline, bad UTF-8. */
    MALFORMED_MESSAGE,
    /** A well-formed message arrived where the protocol does not allow it (e.g. wrong header). */
    UNEXPECTED_MESSAGE,
    /** The negotiation did not finish within its time limit. */
    TIMEOUT,
    /** The channel closed before the negotiation finished. */
    CHANNEL_CLOSED,
    /** The channel reported an error (read or write) before the negotiation finished. */
    CHANNEL_ERROR
  }

  private final Reason reason;

  public MultistreamException(Reason reason, String message) {
    this(reason, message, null);
  }

  public MultistreamException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
