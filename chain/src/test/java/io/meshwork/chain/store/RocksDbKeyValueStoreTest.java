package io.meshwork.chain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbKeyValueStoreTest extends KeyValueStoreContract {
  @TempDir Path directory;
  private RocksDbKeyValueStore store;

  @Override
  KeyValueStore store() {
    store = RocksDbKeyValueStore.open(directory.resolve("db"), false);
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void keepsDataAcrossReopen() {
    store().write(new WriteBatch().put(b("k"), b("v")));
    store.close();
    store = RocksDbKeyValueStore.open(directory.resolve("db"), true);
    assertThat(store.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v")));
  }
}
