package io.meshwork.chain.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * A {@link KeyValueStore} in a RocksDB database directory. Batches are RocksDB write batches,
 * atomic across a crash; the write-ahead log is on, so a process crash loses nothing written. With
 * {@code syncWrites} each batch is also fsynced (survives power loss, costs a disk flush per
 * block). Thread-safe, as RocksDB is.
 */
public final class RocksDbKeyValueStore implements KeyValueStore {
  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;

  private RocksDbKeyValueStore(Options options, WriteOptions writeOptions, RocksDB db) {
    this.options = options;
    this.writeOptions = writeOptions;
    this.db = db;
  }

  /** Opens (creating if missing) the database in {@code directory}. */
  public static RocksDbKeyValueStore open(Path directory, boolean syncWrites) {
    Options options = new Options().setCreateIfMissing(true);
    WriteOptions writeOptions = new WriteOptions().setSync(syncWrites);
    try {
      Files.createDirectories(directory);
      return new RocksDbKeyValueStore(
          options, writeOptions, RocksDB.open(options, directory.toString()));
    } catch (RocksDBException | java.io.IOException e) {
      writeOptions.close();
      options.close();
      throw new StorageException("cannot open RocksDB at " + directory, e);
    }
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    try {
      return Optional.ofNullable(db.get(key));
    } catch (RocksDBException e) {
      throw new StorageException("RocksDB get failed", e);
    }
  }

  @Override
  public void write(WriteBatch batch) {
    try (org.rocksdb.WriteBatch rocksBatch = new org.rocksdb.WriteBatch()) {
      for (WriteBatch.Operation op : batch.operations()) {
        if (op.value().isPresent()) {
          rocksBatch.put(op.key(), op.value().get());
        } else {
          rocksBatch.delete(op.key());
        }
      }
      db.write(writeOptions, rocksBatch);
    } catch (RocksDBException e) {
      throw new StorageException("RocksDB batch write failed", e);
    }
  }

  @Override
  public void forEachWithPrefix(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!InMemoryKeyValueStore.startsWith(key, prefix)) {
          break;
        }
        visitor.accept(key, it.value());
      }
    }
  }

  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
  }
}
