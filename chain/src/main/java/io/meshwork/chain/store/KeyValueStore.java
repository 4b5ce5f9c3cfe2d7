package io.meshwork.chain.store;

import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Ordered byte keys to byte values, with atomic batches. Implementations are thread-safe. Values
 * returned are copies the caller owns.
 */
public interface KeyValueStore extends AutoCloseable {
  Optional<byte[]> get(byte[] key);

  /** Applies every operation of the batch, or none (also across a crash). */
  void write(WriteBatch batch);

  /** Visits the entries whose key starts with {@code prefix}, in unsigned key order. */
  void forEachWithPrefix(byte[] prefix, BiConsumer<byte[], byte[]> visitor);

  @Override
  void close();
}
