package io.meshwork.sync;

import java.time.Duration;

/**
 * How a node relays blocks and transactions.
 *
 * @param relayMode how blocks we mine are announced
 * @param txBatchLinger how long a transaction waits for others to share its gossip message
 * @param txBatchMaxTransactions a batch goes out at once when it holds this many
 * @param txBatchMaxBytes or this many bytes of transactions
 * @param freshTransactionWindow a transaction first seen this recently is sent whole in our compact
 *     blocks (peers may not have it yet)
 * @param maxCatchUpBlocks the most blocks one catch-up walks back from a peer's head; deeper gaps
 *     are left to header-first sync
 * @param maxCatchUpBytes the most bytes of blocks one catch-up holds before importing them
 * @param validationQueue blocks and transaction batches waiting to be checked; more are ignored
 * @param statusInterval how often, on average, the status of every chain peer is asked again (each
 *     node at its own random phase, so a network's refreshes do not come in one burst)
 */
public record SyncConfig(
    BlockRelayMode relayMode,
    Duration txBatchLinger,
    int txBatchMaxTransactions,
    int txBatchMaxBytes,
    Duration freshTransactionWindow,
    int maxCatchUpBlocks,
    long maxCatchUpBytes,
    int validationQueue,
    Duration statusInterval) {

  public SyncConfig {
    if (txBatchMaxTransactions < 1
        || txBatchMaxTransactions > SyncProtocols.MAX_TRANSACTIONS_PER_BATCH) {
      throw new IllegalArgumentException(
          "txBatchMaxTransactions must be 1.." + SyncProtocols.MAX_TRANSACTIONS_PER_BATCH);
    }
    if (txBatchMaxBytes < 1
        || maxCatchUpBlocks < 0
        || maxCatchUpBytes < 0
        || validationQueue < 1
        || statusInterval.isNegative()
        || statusInterval.isZero()) {
      throw new IllegalArgumentException("sync limits must be positive");
    }
  }

  /** Compact relay; batches of up to 256 transactions or 256 KiB, lingering 20 ms. */
  public static SyncConfig defaults() {
    return new SyncConfig(
        BlockRelayMode.COMPACT,
        Duration.ofMillis(20),
        256,
        256 << 10,
        Duration.ofMillis(500),
        256,
        32L << 20,
        1_024,
        Duration.ofSeconds(30));
  }

  public SyncConfig withStatusInterval(Duration interval) {
    return new SyncConfig(
        relayMode,
        txBatchLinger,
        txBatchMaxTransactions,
        txBatchMaxBytes,
        freshTransactionWindow,
        maxCatchUpBlocks,
        maxCatchUpBytes,
        validationQueue,
        interval);
  }

  public SyncConfig withRelayMode(BlockRelayMode mode) {
    return new SyncConfig(
        mode,
        txBatchLinger,
        txBatchMaxTransactions,
        txBatchMaxBytes,
        freshTransactionWindow,
        maxCatchUpBlocks,
        maxCatchUpBytes,
        validationQueue,
        statusInterval);
  }
}
