package io.meshwork.networking.pubsub;

/** A gossipsub RPC from the network that is too large or not a valid protobuf. */
public final class RpcFormatException extends IllegalArgumentException {
  public RpcFormatException(String reason) {
    super(reason);
  }

  public RpcFormatException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
