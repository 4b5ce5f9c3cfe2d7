package io.meshwork.networking.host;

import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.NetworkEventListener;
import io.meshwork.networking.core.Subscription;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link NetworkEvent}s to listeners on one thread, in order, off the event loops. The
 * queue is bounded; when listeners fall that far behind, further events are dropped, counted and
 * logged rather than held without limit.
 */
final class EventBus implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
  static final int QUEUE_CAPACITY = 16_384;

  private final CopyOnWriteArrayList<NetworkEventListener> listeners = new CopyOnWriteArrayList<>();
  private final ThreadPoolExecutor executor;
  private final AtomicLong dropped = new AtomicLong();

  EventBus(String name) {
    executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE_CAPACITY),
            runnable -> {
              Thread thread = new Thread(runnable, name + "-events");
              thread.setDaemon(true);
              return thread;
            });
  }

  Subscription subscribe(NetworkEventListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void publish(NetworkEvent event) {
    try {
      executor.execute(() -> deliver(event));
    } catch (RejectedExecutionException e) {
      if (!executor.isShutdown()) {
        long count = dropped.incrementAndGet();
        LOG.warn(
            "event queue full ({} events); dropped {} (total dropped {})",
            QUEUE_CAPACITY,
            event,
            count);
      }
    }
  }

  long droppedEvents() {
    return dropped.get();
  }

  int queuedEvents() {
    return executor.getQueue().size();
  }

  private void deliver(NetworkEvent event) {
    for (NetworkEventListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("event listener {} failed on {}", listener, event, e);
      }
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
