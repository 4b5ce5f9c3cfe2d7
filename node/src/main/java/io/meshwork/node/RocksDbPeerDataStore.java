package io.meshwork.node;

import io.meshwork.chain.store.KeyValueStore;
import io.meshwork.chain.store.RocksDbKeyValueStore;
import io.meshwork.chain.store.WriteBatch;
import io.meshwork.networking.peers.PeerDataStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The peer manager's {@link PeerDataStore} (address book, anchors, bans) in a RocksDB database of
 * its own, through chain's {@link KeyValueStore}. Its own directory rather than the chain
 * database's, because the peers package's key prefixes ({@code "addr/"}…) and chain's one-byte
 * prefixes ({@code 'a'} + account address) share a key space. Writes go through RocksDB's
 * write-ahead log without an fsync per batch: losing the last flush of the address book to a power
 * cut costs little. Thread-safe, as RocksDB is.
 */
public final class RocksDbPeerDataStore implements PeerDataStore, AutoCloseable {
  private final KeyValueStore store;

  private RocksDbPeerDataStore(KeyValueStore store) {
    this.store = store;
  }

  /**
   * Opens (creating if missing) the database in {@code directory}, e.g. {@code <data-dir>/peers}.
   *
   * @throws io.meshwork.chain.store.StorageException if RocksDB cannot open it
   */
  public static RocksDbPeerDataStore open(Path directory) {
    return new RocksDbPeerDataStore(RocksDbKeyValueStore.open(directory, false));
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return store.get(key);
  }

  @Override
  public void forEachWithPrefix(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    store.forEachWithPrefix(prefix, visitor);
  }

  @Override
  public void write(Batch batch) {
    WriteBatch rocks = new WriteBatch();
    for (Batch.Operation op : batch.operations()) {
      Optional<byte[]> value = op.value();
      if (value.isPresent()) {
        rocks.put(op.key(), value.get());
      } else {
        rocks.delete(op.key());
      }
    }
    store.write(rocks);
  }

  @Override
  public void close() {
    store.close();
  }
}
