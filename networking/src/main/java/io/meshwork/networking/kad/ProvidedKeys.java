package io.meshwork.networking.kad;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys this node provides, and when each was last announced, so they are re-announced every
 * {@link KadConfig#republishInterval()} (22 h, before the 48 h provider expiry on other nodes). At
 * most {@link KadConfig#maxProviderKeys()} keys.
 *
 * <p>Not thread-safe: owned by the DHT's thread. Times are monotonic nanoseconds.
 */
public final class ProvidedKeys {
  private final KadConfig config;
  private final Map<ByteBuffer, Long> lastPublishedNanos = new LinkedHashMap<>();

  public ProvidedKeys(KadConfig config) {
    this.config = config;
  }

  /**
   * Records that {@code key} was just announced.
   *
   * @throws IllegalStateException if we already provide the maximum number of keys
   */
  public void published(byte[] key, long nowNanos) {
    ByteBuffer id = ByteBuffer.wrap(key.clone());
    if (!lastPublishedNanos.containsKey(id)
        && lastPublishedNanos.size() >= config.maxProviderKeys()) {
      throw new IllegalStateException(
          "already providing " + config.maxProviderKeys() + " keys; stop providing some first");
    }
    lastPublishedNanos.put(id, nowNanos);
  }

  public void stopProviding(byte[] key) {
    lastPublishedNanos.remove(ByteBuffer.wrap(key));
  }

  /** Keys last announced at least one republish interval ago. */
  public List<byte[]> dueForRepublish(long nowNanos) {
    long interval = config.republishInterval().toNanos();
    List<byte[]> due = new ArrayList<>();
    for (Map.Entry<ByteBuffer, Long> entry : lastPublishedNanos.entrySet()) {
      if (nowNanos - entry.getValue() >= interval) {
        due.add(entry.getKey().array().clone());
      }
    }
    return List.copyOf(due);
  }

  public int size() {
    return lastPublishedNanos.size();
  }
}
