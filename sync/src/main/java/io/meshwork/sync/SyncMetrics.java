package io.meshwork.sync;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one node's propagation, updated from any thread, read with {@link #snapshot()}. */
public final class SyncMetrics {
  final AtomicLong blocksReceived = new AtomicLong();
  final AtomicLong blocksAccepted = new AtomicLong();
  final AtomicLong blocksRejected = new AtomicLong();
  final AtomicLong blocksIgnored = new AtomicLong();
  final AtomicLong blocksPublished = new AtomicLong();
  final AtomicLong blockGossipBytes = new AtomicLong();
  final AtomicLong blockFetchBytes = new AtomicLong();
  final AtomicLong compactWithoutRoundTrip = new AtomicLong();
  final AtomicLong compactWithRoundTrip = new AtomicLong();
  final AtomicLong compactFellBackToFull = new AtomicLong();
  final AtomicLong orphansReceived = new AtomicLong();
  final AtomicLong catchUpBlocks = new AtomicLong();
  final AtomicLong txsReceived = new AtomicLong();
  final AtomicLong txsAccepted = new AtomicLong();
  final AtomicLong txsRejected = new AtomicLong();
  final AtomicLong txBatchesPublished = new AtomicLong();
  final AtomicLong txsPublished = new AtomicLong();
  final AtomicLong validationsShed = new AtomicLong();
  final AtomicLong reorgs = new AtomicLong();
  final AtomicLong wrongNetworkPeers = new AtomicLong();

  /**
   * A point-in-time copy.
   *
   * @param blocksReceived block announcements taken from gossip for validation
   * @param blocksAccepted of those, imported and forwarded
   * @param blocksRejected invalid (the sender is penalised)
   * @param blocksIgnored already known, orphaned, too far in the future, or shed under load
   * @param blocksPublished blocks this node announced (it mined them)
   * @param blockGossipBytes decompressed bytes of block announcements received
   * @param blockFetchBytes bytes of block-txs and blocks-by-hash answers received
   * @param compactWithoutRoundTrip compact blocks rebuilt from the mempool alone
   * @param compactWithRoundTrip compact blocks rebuilt after fetching missing transactions
   * @param compactFellBackToFull compact blocks that needed the full block
   * @param orphansReceived announced blocks whose parent we lacked
   * @param catchUpBlocks blocks fetched walking back from a peer's head
   * @param txsReceived transactions in gossip batches
   * @param txsAccepted of those, new to our mempool
   * @param txsRejected invalid (bad signature or encoding)
   * @param txBatchesPublished batches this node published
   * @param txsPublished transactions in them
   * @param validationsShed messages ignored because the validation queue was full
   * @param reorgs head changes that undid blocks
   * @param wrongNetworkPeers peers disconnected for being on another network
   */
  public record Snapshot(
      long blocksReceived,
      long blocksAccepted,
      long blocksRejected,
      long blocksIgnored,
      long blocksPublished,
      long blockGossipBytes,
      long blockFetchBytes,
      long compactWithoutRoundTrip,
      long compactWithRoundTrip,
      long compactFellBackToFull,
      long orphansReceived,
      long catchUpBlocks,
      long txsReceived,
      long txsAccepted,
      long txsRejected,
      long txBatchesPublished,
      long txsPublished,
      long validationsShed,
      long reorgs,
      long wrongNetworkPeers) {}

  public Snapshot snapshot() {
    return new Snapshot(
        blocksReceived.get(),
        blocksAccepted.get(),
        blocksRejected.get(),
        blocksIgnored.get(),
        blocksPublished.get(),
        blockGossipBytes.get(),
        blockFetchBytes.get(),
        compactWithoutRoundTrip.get(),
        compactWithRoundTrip.get(),
        compactFellBackToFull.get(),
        orphansReceived.get(),
        catchUpBlocks.get(),
        txsReceived.get(),
        txsAccepted.get(),
        txsRejected.get(),
        txBatchesPublished.get(),
        txsPublished.get(),
        validationsShed.get(),
        reorgs.get(),
        wrongNetworkPeers.get());
  }
}
