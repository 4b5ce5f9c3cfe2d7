package io.meshwork.node.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent event streams, shared by every events endpoint ({@code /v1/pubsub/events}, {@code
 * /v1/chain/events}). Each stream holds a thread of its own, at most {@code maxClients} at once
 * (more get 503). The producing thread (gossip delivery, the chain's importing thread) only offers
 * an item to the client's queue of {@code queueSize}; when it is full the item is dropped for that
 * client and counted ({@link #dropped()}), so a slow client never blocks the producer. An idle
 * stream gets a comment every {@code keepaliveSeconds}, which also finds clients that went away.
 */
final class EventStreams implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int maxClients;
  private final int queueSize;
  private final long keepaliveSeconds;
  private final Semaphore slots;
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor threads;

  EventStreams(int maxClients, int queueSize, long keepaliveSeconds) {
    this.maxClients = maxClients;
    this.queueSize = queueSize;
    this.keepaliveSeconds = keepaliveSeconds;
    this.slots = new Semaphore(maxClients);
    this.threads =
        new ThreadPoolExecutor(
            0,
            maxClients,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "api-events");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Streams to {@code exchange} (which it owns from here) what {@code subscribe} feeds the sink it
   * is given, each item written as {@code data: <toJson(item) as JSON>}. {@code subscribe} returns
   * what unsubscribes; it runs when the client goes away or the server closes.
   */
  <T> void open(
      HttpExchange exchange,
      String greeting,
      Function<Consumer<T>, Runnable> subscribe,
      Function<T, Object> toJson)
      throws IOException {
    if (!slots.tryAcquire()) {
      try (exchange) {
        ApiServer.send(exchange, 503, Map.of("error", maxClients + " event streams already open"));
      }
      return;
    }
    try {
      threads.execute(() -> stream(exchange, greeting, subscribe, toJson));
    } catch (RejectedExecutionException e) {
      slots.release();
      try (exchange) {
        ApiServer.send(exchange, 503, Map.of("error", "event streams are closing"));
      }
    }
  }

  /** Runs on an event thread until the client goes away or the server closes. */
  private <T> void stream(
      HttpExchange exchange,
      String greeting,
      Function<Consumer<T>, Runnable> subscribe,
      Function<T, Object> toJson) {
    BlockingQueue<T> queue = new ArrayBlockingQueue<>(queueSize);
    Runnable unsubscribe =
        subscribe.apply(
            item -> {
              if (!queue.offer(item)) {
                dropped.incrementAndGet();
              }
            });
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      // A first comment gets the headers to the client now, not with the first item.
      write(out, ": " + greeting + "\n\n");
      while (!Thread.currentThread().isInterrupted()) {
        T item = queue.poll(keepaliveSeconds, TimeUnit.SECONDS);
        if (item == null) {
          write(out, ": keepalive\n\n");
        } else {
          write(out, "data: " + JSON.writeValueAsString(toJson.apply(item)) + "\n\n");
        }
      }
    } catch (IOException e) {
      LOG.debug("event stream ({}) ended: {}", greeting, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      unsubscribe.run();
      slots.release();
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Items slow clients lost, over all streams. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    threads.shutdownNow(); // interrupts each stream, which then closes
  }
}
