package io.meshwork.chain.store;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** A {@link KeyValueStore} in a sorted map, for tests and ephemeral nodes. Thread-safe. */
public final class InMemoryKeyValueStore implements KeyValueStore {
  private final TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);

  @Override
  public synchronized Optional<byte[]> get(byte[] key) {
    return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized void write(WriteBatch batch) {
    for (WriteBatch.Operation op : batch.operations()) {
      if (op.value().isPresent()) {
        entries.put(op.key().clone(), op.value().get().clone());
      } else {
        entries.remove(op.key());
      }
    }
  }

  @Override
  public synchronized void forEachWithPrefix(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    for (Map.Entry<byte[], byte[]> entry : entries.tailMap(prefix, true).entrySet()) {
      if (!startsWith(entry.getKey(), prefix)) {
        break;
      }
      visitor.accept(entry.getKey().clone(), entry.getValue().clone());
    }
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  public synchronized int size() {
    return entries.size();
  }

  @Override
  public void close() {}
}
