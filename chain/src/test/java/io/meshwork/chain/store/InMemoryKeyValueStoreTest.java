package io.meshwork.chain.store;

class InMemoryKeyValueStoreTest extends KeyValueStoreContract {
  @Override
  KeyValueStore store() {
    return new InMemoryKeyValueStore();
  }
}
