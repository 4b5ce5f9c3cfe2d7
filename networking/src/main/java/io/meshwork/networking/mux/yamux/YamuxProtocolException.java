package io.meshwork.networking.mux.yamux;

/**
 * The peer broke the Yamux protocol (bad version, unknown type, oversized frame, window overrun,
 * stream id reuse...). Fatal for the connection: the session answers with GoAway(protocol error)
 * and closes it.
 */
public final class YamuxProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public YamuxProtocolException(String reason) {
    super(reason);
  }
}
