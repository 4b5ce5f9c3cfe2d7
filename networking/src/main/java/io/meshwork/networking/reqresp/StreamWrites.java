package io.meshwork.networking.reqresp;

import io.meshwork.networking.core.Stream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a byte array to a {@link Stream} in chunks, waiting for writability between them, so a
 * large response never sits whole in the muxer's queue (Stream's backpressure contract).
 */
final class StreamWrites {
  static final int CHUNK_BYTES = 16 * 1024;

  private StreamWrites() {}

  /** Completes once every byte was handed on by the muxer, or fails with the first failure. */
  static CompletableFuture<Void> writeAll(Stream stream, byte[] bytes) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    writeFrom(stream, bytes, 0, done);
    return done;
  }

  private static void writeFrom(
      Stream stream, byte[] bytes, int offset, CompletableFuture<Void> done) {
    while (offset < bytes.length && !done.isDone()) {
      int n = Math.min(CHUNK_BYTES, bytes.length - offset);
      CompletableFuture<Void> written = stream.write(ByteBuffer.wrap(bytes, offset, n));
      offset += n;
      boolean last = offset == bytes.length;
      written.whenComplete(
          (v, error) -> {
            if (error != null) {
              done.completeExceptionally(error);
            } else if (last) {
              done.complete(null);
            }
          });
      if (!last && !stream.isWritable()) {
        int next = offset;
        stream
            .whenWritable()
            .whenComplete(
                (v, error) -> {
                  if (error != null) {
                    done.completeExceptionally(error);
                  } else {
                    writeFrom(stream, bytes, next, done);
                  }
                });
        return;
      }
    }
    if (bytes.length == 0) {
      done.complete(null);
    }
  }
}
