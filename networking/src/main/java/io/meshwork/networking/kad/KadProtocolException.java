package io.meshwork.networking.kad;

/**
 * A peer sent a DHT message we refuse: oversized, not a valid protobuf, or breaking a rule of the
 * kad-dht spec ("RPC messages"). The stream it came on is reset.
 */
public final class KadProtocolException extends IllegalArgumentException {
  public KadProtocolException(String reason) {
    super(reason);
  }

  public KadProtocolException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
