package io.meshwork.networking.reqresp;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multistream.NoProtocolAgreedException;
import io.meshwork.networking.reqresp.ReqRespException.Kind;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One outbound request (docs/protocols/reqresp.md, "Exchange"): opens the stream, writes the frame,
 * half-closes and reads {@code code ‖ frame} up to the end of stream, within the protocol's
 * timeout. Whatever fails it resets the stream.
 *
 * <p>The reader runs on the stream's event loop; the timeout on the framework's timer thread;
 * {@link #fail} may be called from any thread. {@link #result} completes once, on one of those.
 */
final class OutboundExchange implements StreamReader {
  private final Host host;
  private final ReqRespProtocol protocol;
  private final PeerId peer;
  private final byte[] frame;
  private final ProtocolCounters counters;
  private final AtomicReference<Stream> stream = new AtomicReference<>();
  final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final AtomicBoolean settled = new AtomicBoolean();

  // Reader state: confined to the stream's event loop.
  private ResponseCode code;
  private FrameDecoder decoder;

  OutboundExchange(
      Host host, ReqRespProtocol protocol, PeerId peer, byte[] request, ProtocolCounters counters) {
    this.host = host;
    this.protocol = protocol;
    this.peer = peer;
    this.frame = FrameEncoder.encode(request);
    this.counters = counters;
  }

  void start(ScheduledExecutorService timer) {
    ScheduledFuture<?> timeout;
    try {
      timeout =
          timer.schedule(
              () ->
                  fail(
                      Kind.TIMEOUT,
                      "no whole response within " + protocol.timeout().toMillis() + " ms",
                      null),
              protocol.timeout().toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      fail(Kind.CLOSED, "reqresp is closed", e);
      return;
    }
    result.whenComplete((payload, error) -> timeout.cancel(false));
    host.newStream(peer, List.of(protocol.id()))
        .whenComplete(
            (opened, error) -> {
              if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof NoProtocolAgreedException) {
                  fail(Kind.UNSUPPORTED_PROTOCOL, "the peer does not support it", cause);
                } else {
                  fail(Kind.STREAM_FAILED, "could not open a stream: " + cause, cause);
                }
                return;
              }
              stream.set(opened);
              if (settled.get()) { // timed out or closed while the stream was opening
                opened.reset();
                return;
              }
              opened.read(this);
              counters.bytesOut.add(frame.length);
              StreamWrites.writeAll(opened, frame)
                  .thenCompose(v -> opened.closeWrite())
                  .whenComplete(
                      (v, writeError) -> {
                        if (writeError != null) {
                          fail(
                              Kind.STREAM_FAILED,
                              "sending the request failed: " + unwrap(writeError),
                              writeError);
                        }
                      });
            });
  }

  @Override
  public void onData(ByteBuffer data) {
    if (settled.get()) {
      data.position(data.limit());
      return;
    }
    counters.bytesIn.add(data.remaining());
    if (code == null) {
      int b = data.get() & 0xFF;
      code = ResponseCode.fromWire(b).orElse(null);
      if (code == null) {
        fail(Kind.MALFORMED_RESPONSE, "unknown response code " + b, null);
        return;
      }
      decoder =
          new FrameDecoder(
              code == ResponseCode.OK ? protocol.maxResponseBytes() : Response.MAX_REASON_BYTES);
    }
    if (decoder.feed(data) instanceof FrameDecoder.Error error) {
      failDecoding(error);
    }
  }

  @Override
  public void onEndOfStream() {
    if (settled.get()) {
      return;
    }
    if (code == null) {
      fail(Kind.MALFORMED_RESPONSE, "the stream ended without a response", null);
      return;
    }
    FrameDecoder.Result decoded = decoder.finish();
    if (decoded instanceof FrameDecoder.Frame whole) {
      succeed(whole.payload());
    } else if (decoded instanceof FrameDecoder.Error error) {
      failDecoding(error);
    }
  }

  @Override
  public void onError(Throwable cause) {
    // A responder that refuses without reading the request closes with RST under Yamux (unread
    // data), right after a complete response: accept what arrived whole (reqresp.md, "Exchange").
    if (decoder != null
        && decoder.feed(ByteBuffer.allocate(0)) instanceof FrameDecoder.Frame whole) {
      succeed(whole.payload());
    } else {
      fail(Kind.STREAM_FAILED, "the stream failed: " + cause, cause);
    }
  }

  private void succeed(byte[] payload) {
    if (code == ResponseCode.OK) {
      if (settled.compareAndSet(false, true)) {
        counters.requestsSucceeded.increment(); // counted first, so a caller sees it once done
        result.complete(payload);
      }
    } else {
      fail(
          ReqRespException.remoteError(
              code,
              message("the peer answered " + code + ": " + new Response(code, payload).reason())));
    }
    Stream opened = stream.get();
    if (opened != null) {
      opened.close();
    }
  }

  private void failDecoding(FrameDecoder.Error error) {
    if (error.tooLarge() && code == ResponseCode.OK) {
      fail(Kind.RESPONSE_TOO_LARGE, "response rejected: " + error.reason(), null);
    } else {
      fail(Kind.MALFORMED_RESPONSE, "malformed response: " + error.reason(), null);
    }
  }

  /** Fails the request (if still pending) and resets the stream. Any thread. */
  void fail(Kind kind, String reason, Throwable cause) {
    fail(new ReqRespException(kind, message(reason), cause));
  }

  private void fail(ReqRespException failure) {
    if (settled.compareAndSet(false, true)) {
      counters.failed(failure.kind());
      result.completeExceptionally(failure);
      Stream opened = stream.get();
      if (opened != null && failure.kind() != Kind.REMOTE_ERROR) {
        opened.reset();
      }
    }
  }

  private String message(String reason) {
    return protocol.id() + " request to " + peer + ": " + reason;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
