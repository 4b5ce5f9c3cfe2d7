package io.meshwork.networking.kad;

import java.util.List;

/**
 * Validates and ranks DHT records (kad-dht spec, "Entry validation"). Both methods must be pure and
 * stable: every node must reach the same verdict on the same input.
 *
 * <p>Called on the DHT's thread; implementations must not block.
 */
public interface RecordValidator {
  /**
   * Checks a record received in a GET_VALUE reply or a PUT_VALUE request.
   *
   * @throws InvalidRecordException with the reason it is invalid
   */
  void validate(byte[] key, byte[] value);

  /**
   * Index of the best of {@code values} (all valid, at least one). Must be stable: the same input
   * gives the same index.
   */
  int select(byte[] key, List<byte[]> values);
}
