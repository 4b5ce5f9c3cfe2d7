package io.meshwork.networking.pubsub;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/**
 * The identifier of a pubsub message, as computed by a {@link MessageIdFunction}. Immutable;
 * equality over the bytes. Sent on the wire in IHAVE, IWANT and IDONTWANT.
 */
public final class MessageId {
  private final ByteString bytes;

  private MessageId(ByteString bytes) {
    this.bytes = bytes;
  }

  public static MessageId of(byte[] bytes) {
    return new MessageId(ByteString.copyFrom(bytes));
  }

  static MessageId of(ByteString bytes) {
    return new MessageId(bytes);
  }

  public byte[] toBytes() {
    return bytes.toByteArray();
  }

  public int size() {
    return bytes.size();
  }

  ByteString byteString() {
    return bytes;
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageId other && bytes.equals(other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public String toString() {
    return toHex();
  }
}
