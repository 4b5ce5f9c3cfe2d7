package io.meshwork.networking.reqresp;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.reqresp.ReqRespException.Kind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The request/response runtime on a {@link Host} (docs/protocols/reqresp.md): serves protocols with
 * {@link RequestHandler}s and sends requests, each on its own stream.
 *
 * <p>Threading: public methods may be called from any thread. Stream I/O runs on the streams' event
 * loops; handlers on a bounded executor of {@link #HANDLER_THREADS} threads with a queue of {@link
 * #HANDLER_QUEUE} requests (full: {@code RESOURCE_UNAVAILABLE}); timeouts on one timer thread. The
 * futures of {@link #request} complete on an event loop or the timer thread: their callbacks must
 * not block (use the {@code *Async} variants with an executor of your own for heavy work). No Netty
 * buffers are involved: streams carry byte arrays and ByteBuffers.
 */
public final class ReqResp implements AutoCloseable {
  public static final int HANDLER_THREADS = 4;
  public static final int HANDLER_QUEUE = 256;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Host host;
  private final LongSupplier nanoClock;
  private final ThreadPoolExecutor handlers;
  private final ScheduledThreadPoolExecutor timer;
  private final Map<String, ProtocolCounters> counters = new ConcurrentHashMap<>();
  private final Set<String> served = ConcurrentHashMap.newKeySet();
  private final Set<OutboundExchange> pending = ConcurrentHashMap.newKeySet();

  /** Outbound requests in flight per protocol and peer; bounded by {@link #pending}. */
  private final Map<OutboundKey, Integer> outboundInFlight = new ConcurrentHashMap<>();

  private final Set<InboundExchange> inbound = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private ReqResp(Host host, LongSupplier nanoClock, int handlerThreads, int handlerQueue) {
    this.host = Objects.requireNonNull(host, "host");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.handlers =
        new ThreadPoolExecutor(
            handlerThreads,
            handlerThreads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(handlerQueue),
            r -> daemon(r, "reqresp-" + instance + "-handler-" + threads.incrementAndGet()));
    this.handlers.allowCoreThreadTimeOut(true);
    this.timer =
        new ScheduledThreadPoolExecutor(1, r -> daemon(r, "reqresp-" + instance + "-timer"));
    this.timer.setRemoveOnCancelPolicy(true);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }

  /** A runtime on {@code host} with the system clock for its rate limits. */
  public static ReqResp start(Host host) {
    return start(host, System::nanoTime);
  }

  /** A runtime on {@code host} whose token buckets read {@code nanoClock} (timeouts stay real). */
  public static ReqResp start(Host host, LongSupplier nanoClock) {
    return new ReqResp(host, nanoClock, HANDLER_THREADS, HANDLER_QUEUE);
  }

  /** As {@link #start(Host, LongSupplier)} with a smaller handler executor, for tests. */
  static ReqResp start(Host host, LongSupplier nanoClock, int handlerThreads, int handlerQueue) {
    return new ReqResp(host, nanoClock, handlerThreads, handlerQueue);
  }

  /**
   * Serves {@code protocol} with {@code handler}: installs the host's stream handler, replacing an
   * earlier one for the id (and resetting its rate limits).
   */
  public void serve(ReqRespProtocol protocol, RequestHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (closed) {
      throw new IllegalStateException("reqresp is closed");
    }
    InboundLimiter limiter = new InboundLimiter(protocol, nanoClock);
    ProtocolCounters protocolCounters = counters(protocol.id());
    served.add(protocol.id());
    host.setStreamHandler(
        protocol.id(),
        stream -> {
          if (closed) {
            stream.reset();
            return;
          }
          InboundExchange exchange =
              new InboundExchange(
                  host, stream, protocol, handler, limiter, protocolCounters, handlers);
          inbound.add(exchange);
          exchange.done().whenComplete((v, e) -> inbound.remove(exchange));
          exchange.start(timer);
        });
  }

  /**
   * Sends {@code request} to {@code peer} on a new stream (connecting through the peer store if
   * needed). Completes with the ok payload; otherwise fails with ReqRespException. Enforces
   * protocol.maxResponseBytes before reading and protocol.timeout for the whole exchange.
   *
   * @throws IllegalArgumentException if {@code request} is over the protocol's maxRequestBytes (the
   *     peer would refuse it and report us)
   */
  public CompletableFuture<byte[]> request(PeerId peer, ReqRespProtocol protocol, byte[] request) {
    Objects.requireNonNull(peer, "peer");
    if (request.length > protocol.maxRequestBytes()) {
      throw new IllegalArgumentException(
          protocol.id()
              + " request of "
              + request.length
              + " bytes exceeds maxRequestBytes "
              + protocol.maxRequestBytes());
    }
    ProtocolCounters protocolCounters = counters(protocol.id());
    protocolCounters.requestsSent.increment();
    OutboundExchange exchange =
        new OutboundExchange(host, protocol, peer, request, protocolCounters);
    pending.add(exchange);
    exchange.result.whenComplete((payload, error) -> pending.remove(exchange));
    if (closed) { // checked after registering, so close() cannot miss a request
      exchange.fail(Kind.CLOSED, "reqresp is closed", null);
      return exchange.result;
    }
    // The peer would refuse a request over its concurrency limit with RATE_LIMITED (and count it
    // against us): refuse it here instead, without opening a stream (reqresp.md, "Rate limits").
    OutboundKey key = new OutboundKey(protocol.id(), peer);
    int running = outboundInFlight.merge(key, 1, Integer::sum);
    exchange.result.whenComplete(
        (payload, error) -> outboundInFlight.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null));
    if (running > protocol.maxConcurrentPerPeer()) {
      exchange.fail(
          Kind.LOCAL_RATE_LIMITED,
          (running - 1) + " requests already in flight, the protocol's maxConcurrentPerPeer",
          null);
      return exchange.result;
    }
    exchange.start(timer);
    return exchange.result;
  }

  private record OutboundKey(String protocolId, PeerId peer) {}

  /** Counters per protocol id, for every protocol served or requested so far. */
  public Map<String, ReqRespMetrics> metrics() {
    Map<String, ReqRespMetrics> snapshot = new TreeMap<>();
    counters.forEach((id, c) -> snapshot.put(id, c.snapshot()));
    return Map.copyOf(snapshot);
  }

  private ProtocolCounters counters(String protocolId) {
    return counters.computeIfAbsent(protocolId, id -> new ProtocolCounters());
  }

  /**
   * Removes the stream handlers, fails pending requests with {@code ReqRespException(CLOSED)},
   * resets inbound exchanges still in progress and stops the threads. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    served.forEach(host::removeStreamHandler);
    for (OutboundExchange exchange : List.copyOf(pending)) {
      exchange.fail(Kind.CLOSED, "reqresp is closed", null);
    }
    for (InboundExchange exchange : List.copyOf(inbound)) {
      exchange.abort();
    }
    handlers.shutdownNow();
    timer.shutdownNow();
  }
}
