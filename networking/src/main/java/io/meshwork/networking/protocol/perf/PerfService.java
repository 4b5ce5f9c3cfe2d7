package io.meshwork.networking.protocol.perf;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.protocol.BulkWriter;
import io.meshwork.networking.protocol.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves perf and runs perf against peers. Both directions go through {@link BulkWriter}, so memory
 * stays at the muxer's bound however many bytes are asked for.
 */
public final class PerfService {
  public static final String PROTOCOL_ID = "/perf/1.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(PerfService.class);

  private final Host host;
  private final LongSupplier nanoTime;

  public PerfService(Host host, LongSupplier nanoTime) {
    this.host = host;
    this.nanoTime = nanoTime;
  }

  public void install() {
    host.setStreamHandler(PROTOCOL_ID, this::serve);
  }

  private void serve(Stream stream) {
    stream.read(
        new StreamReader() {
          private final ByteBuffer header = ByteBuffer.allocate(Long.BYTES);

          @Override
          public void onData(ByteBuffer data) {
            if (header.hasRemaining()) {
              int n = Math.min(header.remaining(), data.remaining());
              ByteBuffer slice = data.slice();
              slice.limit(n);
              header.put(slice);
            }
            // The upload itself is read and dropped: perf measures transport, not storage.
          }

          @Override
          public void onEndOfStream() {
            if (header.hasRemaining()) {
              LOG.debug("perf client closed before sending its 8-byte header; resetting");
              stream.reset();
              return;
            }
            long toSend = header.flip().getLong();
            if (toSend < 0) {
              LOG.debug("perf client asked for {} bytes; resetting", Long.toUnsignedString(toSend));
              stream.reset();
              return;
            }
            BulkWriter.write(stream, toSend)
                .thenCompose(v -> stream.closeWrite())
                .whenComplete(
                    (v, e) -> {
                      if (e != null) {
                        LOG.debug(
                            "perf send to {} failed: {}", stream.remotePeerId(), e.toString());
                        stream.reset();
                      }
                    });
          }

          @Override
          public void onError(Throwable cause) {
            LOG.debug("perf stream failed: {}", cause.toString());
          }
        });
  }

  /** Uploads {@code upload} bytes to {@code peer} and downloads {@code download} bytes back. */
  public CompletableFuture<PerfResult> run(PeerId peer, long upload, long download) {
    if (upload < 0 || download < 0) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("byte counts must not be negative"));
    }
    long start = nanoTime.getAsLong();
    return host.newStream(peer, List.of(PROTOCOL_ID))
        .thenCompose(
            stream -> {
              CompletableFuture<PerfResult> result = new CompletableFuture<>();
              stream.read(new Downloader(stream, upload, download, start, result));
              ByteBuffer header = ByteBuffer.allocate(Long.BYTES).putLong(download).flip();
              stream
                  .write(header)
                  .thenCompose(v -> BulkWriter.write(stream, upload))
                  .thenCompose(v -> stream.closeWrite())
                  .whenComplete(
                      (v, e) -> {
                        if (e != null) {
                          result.completeExceptionally(e);
                          stream.reset();
                        }
                      });
              return result;
            });
  }

  private final class Downloader implements StreamReader {
    private final Stream stream;
    private final long upload;
    private final long expected;
    private final long start;
    private final CompletableFuture<PerfResult> result;
    private long received;
    private long firstByteAt;

    Downloader(
        Stream stream,
        long upload,
        long expected,
        long start,
        CompletableFuture<PerfResult> result) {
      this.stream = stream;
      this.upload = upload;
      this.expected = expected;
      this.start = start;
      this.result = result;
    }

    @Override
    public void onData(ByteBuffer data) {
      if (received == 0 && data.hasRemaining()) {
        firstByteAt = nanoTime.getAsLong();
      }
      received += data.remaining();
      if (received > expected) {
        result.completeExceptionally(
            new ProtocolViolationException(
                "perf server sent more than the " + expected + " bytes asked for"));
        stream.reset();
      }
    }

    @Override
    public void onEndOfStream() {
      if (received != expected) {
        result.completeExceptionally(
            new ProtocolViolationException(
                "perf server sent " + received + " of the " + expected + " bytes asked for"));
      } else {
        long end = nanoTime.getAsLong();
        long uploadEnd = received == 0 ? end : firstByteAt;
        result.complete(
            new PerfResult(
                upload,
                received,
                Duration.ofNanos(end - start),
                Duration.ofNanos(uploadEnd - start)));
      }
      stream.close();
    }

    @Override
    public void onError(Throwable cause) {
      result.completeExceptionally(cause);
    }
  }
}
