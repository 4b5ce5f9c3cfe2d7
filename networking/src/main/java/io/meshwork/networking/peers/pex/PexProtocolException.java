package io.meshwork.networking.peers.pex;

/**
 * A peer sent a peer-exchange message we refuse: oversized, not a valid protobuf, beyond a limit of
 * docs/protocols/pex.md, or carrying a record that does not verify. The stream it came on is reset.
 */
public final class PexProtocolException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PexProtocolException(String reason) {
    super(reason);
  }

  public PexProtocolException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
