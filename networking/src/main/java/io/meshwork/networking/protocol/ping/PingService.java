package io.meshwork.networking.protocol.ping;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.protocol.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Serves ping and pings peers. The server echoes whole 32-byte payloads and pauses reading while
 * its echo is not accepted, so a flooding peer is held back by the muxer's windows.
 */
public final class PingService {
  public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";
  public static final int PAYLOAD_SIZE = 32;
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

  private final Host host;
  private final LongSupplier nanoTime;
  private final SecureRandom random = new SecureRandom();

  public PingService(Host host, LongSupplier nanoTime) {
    this.host = host;
    this.nanoTime = nanoTime;
  }

  /** Registers the ping handler on the host. */
  public void install() {
    host.setStreamHandler(PROTOCOL_ID, this::serve);
  }

  private void serve(Stream stream) {
    stream.read(
        new StreamReader() {
          private final ByteBuffer partial = ByteBuffer.allocate(PAYLOAD_SIZE);

          @Override
          public void onData(ByteBuffer data) {
            while (data.hasRemaining()) {
              int n = Math.min(partial.remaining(), data.remaining());
              ByteBuffer slice = data.slice();
              slice.limit(n);
              partial.put(slice);
              data.position(data.position() + n);
              if (!partial.hasRemaining()) {
                partial.flip();
                ByteBuffer echo = ByteBuffer.allocate(PAYLOAD_SIZE).put(partial).flip();
                partial.clear();
                stream.write(echo).exceptionally(e -> null);
                if (!stream.isWritable()) {
                  stream.pauseReading();
                  stream.whenWritable().thenRun(stream::resumeReading);
                }
              }
            }
          }

          @Override
          public void onEndOfStream() {
            stream.close();
          }
        });
  }

  /** Pings {@code peer} {@code count} times on one stream; completes with the round-trip times. */
  public CompletableFuture<List<Duration>> ping(PeerId peer, int count) {
    if (count < 1) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("count must be >= 1"));
    }
    return host.newStream(peer, List.of(PROTOCOL_ID))
        .thenCompose(stream -> new Pinger(stream, count).run());
  }

  private final class Pinger implements StreamReader {
    private final Stream stream;
    private final int count;
    private final List<Duration> rtts = new ArrayList<>();
    private final CompletableFuture<List<Duration>> result = new CompletableFuture<>();
    private final ByteBuffer received = ByteBuffer.allocate(PAYLOAD_SIZE);
    private byte[] sent;
    private long sentAt;

    Pinger(Stream stream, int count) {
      this.stream = stream;
      this.count = count;
    }

    CompletableFuture<List<Duration>> run() {
      stream.read(this);
      sendNext();
      return result
          .orTimeout(PING_TIMEOUT.toMillis() * count, TimeUnit.MILLISECONDS)
          .whenComplete(
              (r, e) -> {
                if (e == null) {
                  stream.close();
                } else {
                  stream.reset();
                }
              });
    }

    private void sendNext() {
      sent = new byte[PAYLOAD_SIZE];
      random.nextBytes(sent);
      sentAt = nanoTime.getAsLong();
      stream
          .write(ByteBuffer.wrap(sent))
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  result.completeExceptionally(e);
                }
              });
    }

    @Override
    public void onData(ByteBuffer data) {
      while (data.hasRemaining() && !result.isDone()) {
        int n = Math.min(received.remaining(), data.remaining());
        ByteBuffer slice = data.slice();
        slice.limit(n);
        received.put(slice);
        data.position(data.position() + n);
        if (received.hasRemaining()) {
          return;
        }
        long now = nanoTime.getAsLong();
        if (!Arrays.equals(received.array(), sent)) {
          result.completeExceptionally(
              new ProtocolViolationException("ping payload was not echoed back intact"));
          return;
        }
        received.clear();
        rtts.add(Duration.ofNanos(now - sentAt));
        if (rtts.size() == count) {
          result.complete(List.copyOf(rtts));
        } else {
          sendNext();
        }
      }
    }

    @Override
    public void onEndOfStream() {
      result.completeExceptionally(
          new ProtocolViolationException("peer closed the ping stream early"));
    }

    @Override
    public void onError(Throwable cause) {
      result.completeExceptionally(cause);
    }
  }
}
