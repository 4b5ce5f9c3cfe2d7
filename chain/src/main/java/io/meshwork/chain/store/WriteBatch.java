package io.meshwork.chain.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Puts and deletes that a {@link KeyValueStore} applies all together or not at all. Not
 * thread-safe; build it on one thread, then hand it to {@link KeyValueStore#write}.
 */
public final class WriteBatch {
  /** One operation; an empty value means delete. */
  public record Operation(byte[] key, Optional<byte[]> value) {}

  private final List<Operation> operations = new ArrayList<>();
  private long bytes;

  public WriteBatch put(byte[] key, byte[] value) {
    operations.add(new Operation(key, Optional.of(value)));
    bytes += key.length + value.length;
    return this;
  }

  public WriteBatch delete(byte[] key) {
    operations.add(new Operation(key, Optional.empty()));
    bytes += key.length;
    return this;
  }

  public List<Operation> operations() {
    return Collections.unmodifiableList(operations);
  }

  public int size() {
    return operations.size();
  }

  public long bytes() {
    return bytes;
  }
}
