package io.meshwork.chain;

import io.meshwork.chain.store.KeyValueStore;
import io.meshwork.chain.store.StorageException;
import io.meshwork.chain.store.WriteBatch;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Simulates a crash: the {@code failAt}-th batch write throws, either before reaching the
 * underlying store or right after it committed; every later write throws too (the process is
 * "dead").
 */
final class FailingKeyValueStore implements KeyValueStore {
  private final KeyValueStore delegate;
  private final int failAt;
  private final boolean afterCommit;
  private int writes;

  FailingKeyValueStore(KeyValueStore delegate, int failAt, boolean afterCommit) {
    this.delegate = delegate;
    this.failAt = failAt;
    this.afterCommit = afterCommit;
  }

  int writes() {
    return writes;
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return delegate.get(key);
  }

  @Override
  public void write(WriteBatch batch) {
    writes++;
    if (writes < failAt) {
      delegate.write(batch);
      return;
    }
    if (writes == failAt && afterCommit) {
      delegate.write(batch);
    }
    throw new StorageException("injected crash at write " + writes);
  }

  @Override
  public void forEachWithPrefix(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    delegate.forEachWithPrefix(prefix, visitor);
  }

  @Override
  public void close() {}
}
