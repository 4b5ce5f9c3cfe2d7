package io.meshwork.networking.multistream;

import java.util.List;

/**
 * The peers share no protocol: the remote listener answered {@code na} to every proposal we made,
 * or (as listener) the remote dialer made more proposals than we accept. {@link #protocols()} lists
 * the protocols that were proposed, in order.
 */
public final class NoProtocolAgreedException extends MultistreamException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> protocols;

  public NoProtocolAgreedException(String message, List<String> protocols) {
    super(Reason.NO_PROTOCOL_AGREED, message + " (proposed: " + protocols + ")");
    this.protocols = List.copyOf(protocols);
  }

  /** The protocols proposed during the failed negotiation, in order (immutable). */
  public List<String> protocols() {
    return protocols;
  }
}
