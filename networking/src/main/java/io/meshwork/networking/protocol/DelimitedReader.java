package io.meshwork.networking.protocol;

import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.multiformats.VarintException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
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

  /** The length prefix read so far (a varint is at most {@link Varint#MAX_BYTES} bytes). */
  private final byte[] prefix = new byte[Varint.MAX_BYTES];

  private int prefixLength;

  /** The message being filled once its length is known; each byte is copied once. */
  private byte[] message;

  private int filled;
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
    while (data.hasRemaining() && !failed) {
      if (message == null) {
        readPrefixByte(data.get());
      } else {
        int n = Math.min(message.length - filled, data.remaining());
        data.get(message, filled, n);
        filled += n;
      }
      if (message != null && filled == message.length) {
        byte[] complete = message;
        message = null;
        handler.onMessage(complete);
      }
    }
  }

  private void readPrefixByte(byte b) {
    prefix[prefixLength++] = b;
    if ((b & 0x80) != 0) {
      if (prefixLength == Varint.MAX_BYTES) {
        fail(new ProtocolViolationException("message length prefix is longer than 9 bytes"));
      }
      return;
    }
    long length;
    try {
      length = Varint.decode(prefix, 0).value();
    } catch (VarintException e) {
      fail(new ProtocolViolationException("bad message length prefix: " + e.getMessage()));
      return;
    } finally {
      prefixLength = 0;
    }
    if (length > maxMessageSize) {
      fail(
          new ProtocolViolationException(
              "message of " + length + " bytes exceeds the limit of " + maxMessageSize));
      return;
    }
    message = new byte[(int) length];
    filled = 0;
  }

  @Override
  public void onEndOfStream() {
    if (failed) {
      return;
    }
    if (message != null || prefixLength > 0) {
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
      message = null;
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
