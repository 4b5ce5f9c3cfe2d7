package io.meshwork.networking.kad;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DHT records this node stores for others (PUT_VALUE) and serves (GET_VALUE). Every record is
 * validated before it is stored, a new value replaces an old one only if the validator selects it
 * (kad-dht spec, "Entry validation"), records expire after {@link KadConfig#recordTtl()}, and the
 * store holds at most {@link KadConfig#maxRecords()} records of at most {@link
 * KadConfig#maxRecordSize()} bytes.
 *
 * <p>Not thread-safe: owned by the DHT's thread. Times are monotonic nanoseconds.
 */
public final class RecordStore {
  /** A stored record; {@code received} is wall-clock time, for the wire's timeReceived. */
  public record StoredRecord(byte[] key, byte[] value, Instant received, long expiresAtNanos) {}

  /** What {@link #put} did. */
  public enum PutOutcome {
    STORED,
    /** The stored value is better (or equal); it stays. */
    KEPT_EXISTING,
    /** The store is full of other live records. */
    STORE_FULL
  }

  private final RecordValidator validator;
  private final KadConfig config;
  private final Map<ByteBuffer, StoredRecord> records = new HashMap<>();

  public RecordStore(RecordValidator validator, KadConfig config) {
    this.validator = validator;
    this.config = config;
  }

  public RecordValidator validator() {
    return validator;
  }

  /**
   * Validates and stores a record.
   *
   * @throws InvalidRecordException if the validator rejects it or it is too large
   */
  public PutOutcome put(byte[] key, byte[] value, Instant received, long nowNanos) {
    if (value.length > config.maxRecordSize()) {
      throw new InvalidRecordException(
          "record of " + value.length + " bytes exceeds " + config.maxRecordSize());
    }
    validator.validate(key, value);
    ByteBuffer id = ByteBuffer.wrap(key.clone());
    StoredRecord existing = records.get(id);
    if (existing != null && existing.expiresAtNanos() > nowNanos) {
      int best = validator.select(key, List.of(existing.value(), value));
      if (best == 0) {
        return PutOutcome.KEPT_EXISTING;
      }
    } else if (records.size() >= config.maxRecords() && prune(nowNanos) == 0) {
      return PutOutcome.STORE_FULL;
    }
    long expires = nowNanos + config.recordTtl().toNanos();
    records.put(id, new StoredRecord(key.clone(), value.clone(), received, expires));
    return PutOutcome.STORED;
  }

  /** The live record for {@code key}. */
  public Optional<StoredRecord> get(byte[] key, long nowNanos) {
    ByteBuffer id = ByteBuffer.wrap(key);
    StoredRecord record = records.get(id);
    if (record == null) {
      return Optional.empty();
    }
    if (record.expiresAtNanos() <= nowNanos) {
      records.remove(id);
      return Optional.empty();
    }
    return Optional.of(record);
  }

  /** Drops expired records; returns how many. */
  public int prune(long nowNanos) {
    int removed = 0;
    for (Iterator<StoredRecord> it = records.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAtNanos() <= nowNanos) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  public int size() {
    return records.size();
  }
}
