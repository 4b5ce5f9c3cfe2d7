package io.meshwork.networking.protocol;

import io.meshwork.networking.core.Stream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a number of bytes to a stream as fast as the muxer takes them: while the stream is
 * writable it writes, otherwise it waits for writability. At most the muxer's high-water mark is
 * ever queued, whatever the total. The payload is a shared read-only block of zeros.
 */
public final class BulkWriter {
  public static final int CHUNK = 64 * 1024;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();

  private final Stream stream;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private long remaining;
  private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

  private BulkWriter(Stream stream, long total) {
    this.stream = stream;
    this.remaining = total;
  }

  /** Writes {@code total} bytes; completes when the last one was handed to the muxer. */
  public static CompletableFuture<Void> write(Stream stream, long total) {
    BulkWriter writer = new BulkWriter(stream, total);
    writer.pump();
    return writer.done;
  }

  private void pump() {
    while (remaining > 0 && !done.isDone()) {
      if (stream.closeFuture().isDone()) {
        done.completeExceptionally(new java.nio.channels.ClosedChannelException());
        return;
      }
      if (!stream.isWritable()) {
        stream.whenWritable().whenComplete((v, e) -> pump());
        return;
      }
      int size = (int) Math.min(CHUNK, remaining);
      ByteBuffer chunk = ZEROS.duplicate();
      chunk.limit(size);
      remaining -= size;
      lastWrite = stream.write(chunk);
      lastWrite.whenComplete(
          (v, e) -> {
            if (e != null) {
              done.completeExceptionally(e);
            }
          });
    }
    if (remaining == 0) {
      lastWrite.whenComplete(
          (v, e) -> {
            if (e == null) {
              done.complete(null);
            } else {
              done.completeExceptionally(e);
            }
          });
    }
  }
}
