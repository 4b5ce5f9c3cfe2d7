package io.meshwork.sync.wire;

import io.meshwork.chain.model.MalformedEncodingException;
import java.util.function.Supplier;

/**
 * Bytes received from a peer that are not a valid encoding of the expected message. The message is
 * a one-line reason naming the message and field; gossip validation maps it to "reject".
 */
public final class WireFormatException extends RuntimeException {
  public WireFormatException(String reason) {
    super(reason);
  }

  public WireFormatException(String reason, Throwable cause) {
    super(reason, cause);
  }

  /** The one-line reason. */
  public String reason() {
    return getMessage();
  }

  /**
   * Runs {@code decoder}, turning the chain's {@link MalformedEncodingException} (and the value
   * constructors' {@link IllegalArgumentException}) into a {@code WireFormatException} prefixed
   * with {@code what}.
   */
  public static <T> T decoding(String what, Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (MalformedEncodingException | IllegalArgumentException e) {
      throw new WireFormatException(what + ": " + e.getMessage(), e);
    }
  }
}
