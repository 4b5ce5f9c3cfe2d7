package io.meshwork.networking.peers;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** {@link PeerDataStore#inMemory()}: a sorted map under one lock. Thread-safe. */
final class InMemoryPeerDataStore implements PeerDataStore {
  private final TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);

  @Override
  public synchronized Optional<byte[]> get(byte[] key) {
    return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized void forEachWithPrefix(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    for (Map.Entry<byte[], byte[]> entry : entries.tailMap(prefix, true).entrySet()) {
      byte[] key = entry.getKey();
      if (key.length < prefix.length
          || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
        break;
      }
      visitor.accept(key.clone(), entry.getValue().clone());
    }
  }

  @Override
  public synchronized void write(Batch batch) {
    for (Batch.Operation op : batch.operations()) {
      Optional<byte[]> value = op.value();
      if (value.isPresent()) {
        entries.put(op.key(), value.get());
      } else {
        entries.remove(op.key());
      }
    }
  }
}
