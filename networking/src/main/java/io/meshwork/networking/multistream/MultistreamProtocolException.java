package io.meshwork.networking.multistream;

/**
 * The remote peer broke multistream-select: a malformed message ({@link
 * MultistreamException.Reason#MALFORMED_MESSAGE}) or a well-formed one the protocol does not allow
 * at that point, such as a header other than {@code /multistream/1.0.0} ({@link
 * MultistreamException.Reason#UNEXPECTED_MESSAGE}).
 */
public final class MultistreamProtocolException extends MultistreamException {
  private static final long serialVersionUID = 1L;

  public MultistreamProtocolException(Reason reason, String message) {
    this(reason, message, null);
  }

  public MultistreamProtocolException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
    if (reason != Reason.MALFORMED_MESSAGE && reason != Reason.UNEXPECTED_MESSAGE) {
      throw new IllegalArgumentException("not a protocol violation: " + reason);
    }
  }

  static MultistreamProtocolException malformed(String message) {
    return new MultistreamProtocolException(Reason.MALFORMED_MESSAGE, message);
  }

  /** The first message was not the multistream-select 1.0 header. */
  static MultistreamProtocolException notHeader(MultistreamMessage message) {
    return unexpected("expected header " + MultistreamMessage.PROTOCOL_ID + ", got " + message);
  }

  static MultistreamProtocolException unexpected(String message) {
    return new MultistreamProtocolException(Reason.UNEXPECTED_MESSAGE, message);
  }
}
