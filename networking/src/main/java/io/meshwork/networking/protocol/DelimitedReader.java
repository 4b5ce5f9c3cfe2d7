package io.meshwork.networking.protocol;

import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.multiformats.VarintException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a stream into uvarint-length-prefixed messages (the framing of identify, kad-dht and
 * gossipsub), refusing any message longer than {@code maxMessageSize} before buffering it.
 *
 * <p>Called on the stream's event loop, like any {@link StreamReader}. A protocol error (bad
 * varint, oversized message, data cut off by end of stream) goes to {@link Handler#onError} once
 * and ends reading.
 */
public final class DelimitedReader implements StreamReader {

  /** Receives whole messages. */
  public interface Handler {
    void onMessage(byte[] message);

    default void onEnd() {}

    void onError(Throwable cause);
  }

  private final int maxMessageSize;
  private final Handler handler;
  private byte[] pending = new byte[0];
  private boolean failed;

  public DelimitedReader(int maxMessageSize, Handler handler) {
    this.maxMessageSize = maxMessageSize;
    this.handler = handler;
  }

  /** A reader whose errors and end go nowhere but {@code onError}. */
  public static DelimitedReader of(
      int maxMessageSize, Consumer<byte[]> onMessage, Consumer<Throwable> onError) {
    return new DelimitedReader(
        maxMessageSize,
        new Handler() {
          @Override
          public void onMessage(byte[] message) {
            onMessage.accept(message);
          }

          @Override
          public void onError(Throwable cause) {
            onError.accept(cause);
          }
        });
  }

  @Override
  public void onData(ByteBuffer data) {
    if (failed) {
      return;
    }
    byte[] bytes = new byte[pending.length + data.remaining()];
    System.arraycopy(pending, 0, bytes, 0, pending.length);
    data.get(bytes, pending.length, data.remaining());
    int offset = 0;
    while (offset < bytes.length) {
      Varint.Decoded length;
      try {
        length = Varint.decode(bytes, offset);
      } catch (VarintException e) {
        if (bytes.length - offset >= Varint.MAX_BYTES) {
          fail(new ProtocolViolationException("bad message length prefix: " + e.getMessage()));
          return;
        }
        break; // the prefix is not complete yet
      }
      if (length.value() > maxMessageSize) {
        fail(
            new ProtocolViolationException(
                "message of " + length.value() + " bytes exceeds the limit of " + maxMessageSize));
        return;
      }
      int start = offset + length.length();
      int end = start + (int) length.value();
      if (end > bytes.length) {
        break;
      }
      handler.onMessage(Arrays.copyOfRange(bytes, start, end));
      if (failed) {
        return;
      }
      offset = end;
    }
    pending = Arrays.copyOfRange(bytes, offset, bytes.length);
  }

  @Override
  public void onEndOfStream() {
    if (failed) {
      return;
    }
    if (pending.length > 0) {
      fail(new ProtocolViolationException("stream ended inside a message"));
      return;
    }
    handler.onEnd();
  }

  @Override
  public void onError(Throwable cause) {
    fail(cause);
  }

  private void fail(Throwable cause) {
    if (!failed) {
      failed = true;
      pending = new byte[0];
      handler.onError(cause);
    }
  }

  /** Encodes {@code message} with its uvarint length prefix. */
  public static byte[] frame(byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + Varint.MAX_BYTES);
    out.writeBytes(Varint.encode(message.length));
    out.writeBytes(message);
    return out.toByteArray();
  }
}
