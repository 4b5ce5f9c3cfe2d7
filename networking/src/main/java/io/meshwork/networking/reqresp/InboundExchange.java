package io.meshwork.networking.reqresp;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.crypto.PeerId;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one inbound stream (docs/protocols/reqresp.md, "What happens on each error"): admission
 * before reading, one request frame up to the end of stream, the handler on the framework's
 * executor, one response, close. The whole exchange is bounded by the protocol's timeout, after
 * which the stream is reset.
 *
 * <p>{@link #start} and the reader run on the stream's event loop; the handler and its completion
 * on the handler executor (or wherever the handler completes its future); the timeout on the timer
 * thread. {@link #finished} makes sure exactly one of them answers or resets.
 */
final class InboundExchange implements StreamReader {
  private static final Logger LOG = LoggerFactory.getLogger(InboundExchange.class);

  /** What a requester learns of a handler failure: nothing internal (reqresp.md, "Security"). */
  static final String SERVER_ERROR_REASON = "the handler failed";

  private final Host host;
  private final Stream stream;
  private final PeerId peer;
  private final ReqRespProtocol protocol;
  private final RequestHandler handler;
  private final InboundLimiter limiter;
  private final ProtocolCounters counters;
  private final Executor handlers;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final FrameDecoder decoder;
  private volatile boolean admitted;

  /** How much longer the server waits than the protocol's timeout (see where it is used). */
  static final long SERVER_TIMEOUT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private volatile ScheduledFuture<?> timeout;

  InboundExchange(
      Host host,
      Stream stream,
      ReqRespProtocol protocol,
      RequestHandler handler,
      InboundLimiter limiter,
      ProtocolCounters counters,
      Executor handlers) {
    this.host = host;
    this.stream = stream;
    this.peer = stream.remotePeerId();
    this.protocol = protocol;
    this.handler = handler;
    this.limiter = limiter;
    this.counters = counters;
    this.handlers = handlers;
    this.decoder = new FrameDecoder(protocol.maxRequestBytes());
  }

  /** Completes when the exchange is over, answered or reset. */
  CompletableFuture<Void> done() {
    return done;
  }

  void start(ScheduledExecutorService timer) {
    Optional<String> refusal = limiter.admit(peer);
    if (refusal.isPresent()) {
      // Refused before reading a byte of the request (reqresp.md, "What happens on each error").
      counters.rateLimited.increment();
      LOG.debug("{} request from {} rate limited: {}", protocol.id(), peer, refusal.get());
      respond(Response.error(ResponseCode.RATE_LIMITED, refusal.get()));
      return;
    }
    admitted = true;
    try {
      // A little longer than the requester's own limit (the same timeout, started earlier on its
      // side), so that a requester waiting on a slow handler sees its TIMEOUT, not our reset.
      long nanos = protocol.timeout().toNanos() + SERVER_TIMEOUT_GRACE_NANOS;
      timeout = timer.schedule(this::timedOut, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      abort(); // the framework closed meanwhile
      return;
    }
    stream.read(this);
  }

  @Override
  public void onData(ByteBuffer data) {
    if (finished.get()) {
      data.position(data.limit());
      return;
    }
    counters.bytesIn.add(data.remaining());
    if (decoder.feed(data) instanceof FrameDecoder.Error error) {
      invalid(error.reason());
    }
  }

  @Override
  public void onEndOfStream() {
    if (finished.get()) {
      return;
    }
    FrameDecoder.Result decoded = decoder.finish();
    if (decoded instanceof FrameDecoder.Frame frame) {
      dispatch(frame.payload());
    } else if (decoded instanceof FrameDecoder.Error error) {
      invalid(error.reason());
    }
  }

  @Override
  public void onError(Throwable cause) {
    if (claim()) {
      LOG.debug("{} stream from {} failed: {}", protocol.id(), peer, cause.toString());
      stream.reset();
    }
  }

  /** Resets the stream unanswered (the framework is closing). Any thread. */
  void abort() {
    if (claim()) {
      stream.reset();
    }
  }

  private void invalid(String reason) {
    stream.pauseReading(); // nothing more of this stream is needed
    counters.invalidRequests.increment();
    LOG.debug("invalid {} request from {}: {}", protocol.id(), peer, reason);
    host.publish(
        new NetworkEvent.PeerMisbehaved(peer, protocol.id(), "invalid request: " + reason));
    respond(Response.error(ResponseCode.INVALID_REQUEST, reason));
  }

  private void dispatch(byte[] request) {
    try {
      handlers.execute(() -> runHandler(request));
    } catch (RejectedExecutionException e) {
      counters.resourceUnavailable.increment();
      LOG.debug("{} handler queue full; refusing {}", protocol.id(), peer);
      respond(Response.error(ResponseCode.RESOURCE_UNAVAILABLE, "server busy, try again later"));
    }
  }

  private void runHandler(byte[] request) {
    CompletableFuture<Response> answer;
    try {
      answer = handler.handle(peer, request);
      if (answer == null) {
        throw new NullPointerException("the handler returned no future");
      }
    } catch (RuntimeException | Error e) {
      handlerFailed(e);
      return;
    }
    answer.whenComplete(
        (response, error) -> {
          if (error != null) {
            handlerFailed(error);
          } else if (response == null) {
            handlerFailed(new NullPointerException("the handler completed with null"));
          } else if (response.code() == ResponseCode.OK
              && response.payload().length > protocol.maxResponseBytes()) {
            handlerFailed(
                new IllegalStateException(
                    "response of "
                        + response.payload().length
                        + " bytes exceeds maxResponseBytes "
                        + protocol.maxResponseBytes()));
          } else {
            respond(response);
          }
        });
  }

  private void handlerFailed(Throwable error) {
    counters.serverErrors.increment();
    LOG.warn("{} handler failed on a request from {}", protocol.id(), peer, error);
    respond(Response.error(ResponseCode.SERVER_ERROR, SERVER_ERROR_REASON));
  }

  private void respond(Response response) {
    if (!claim()) {
      return; // timed out, reset or closed meanwhile
    }
    counters.requestsServed.increment();
    byte[] bytes = FrameEncoder.encodeResponse(response);
    counters.bytesOut.add(bytes.length);
    // FIN after the response, then close. After FIN, close() only matters when the request was
    // never read (a refusal): it resets.
    StreamWrites.writeAll(stream, bytes)
        .thenCompose(v -> stream.closeWrite())
        .thenCompose(v -> stream.close())
        .whenComplete(
            (v, error) -> {
              if (error != null) {
                LOG.debug(
                    "{} response to {} not delivered: {}", protocol.id(), peer, error.toString());
                stream.reset();
              }
            });
  }

  private void timedOut() {
    if (claim()) {
      counters.inboundTimeouts.increment();
      LOG.debug("{} exchange with {} timed out; resetting", protocol.id(), peer);
      stream.reset();
    }
  }

  /** Takes the one right to end the exchange; gives back the peer's slot. */
  private boolean claim() {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> pendingTimeout = timeout;
    if (pendingTimeout != null) {
      pendingTimeout.cancel(false);
    }
    if (admitted) {
      limiter.release(peer);
    }
    done.complete(null);
    return true;
  }
}
