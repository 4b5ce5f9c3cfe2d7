package io.meshwork.sync;

import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.networking.reqresp.RateLimit;
import io.meshwork.networking.reqresp.ReqRespProtocol;
import io.meshwork.sync.wire.BlocksByHashRequest;
import io.meshwork.sync.wire.TransactionBatch;
import java.time.Duration;

/**
 * The gossip topics and request/response protocols of one network, with their limits
 * (docs/protocols/chain-gossip.md and chain-reqresp.md). Every name starts with {@code
 * /meshwork/<network-id>/}, so nodes of different networks never share a topic.
 *
 * @param networkId the network's id, as in its genesis config
 * @param txTopic transaction batches
 * @param blockTopic block announcements (compact or full)
 * @param status the status exchange
 * @param blockTxs transactions of a block by index (compact block repair)
 * @param blocksByHash whole blocks by hash
 * @param maxTransactionsPerBlock the consensus limit, which bounds every list on the wire
 * @param maxBlockBytes the consensus limit on one block's encoding
 */
public record SyncProtocols(
    String networkId,
    String txTopic,
    String blockTopic,
    ReqRespProtocol status,
    ReqRespProtocol blockTxs,
    ReqRespProtocol blocksByHash,
    int maxTransactionsPerBlock,
    int maxBlockBytes) {

  /**
   * The status protocol id is the same on every network, so a peer on another network can be told
   * so instead of looking like a peer without a chain.
   */
  public static final String STATUS_PROTOCOL_ID = "/meshwork/chain/status/1";

  /** Hashes one blocks-by-hash request may name. */
  public static final int MAX_BLOCKS_PER_REQUEST = BlocksByHashRequest.MAX_HASHES;

  /** Bytes of blocks one blocks-by-hash response carries at most (at least one block fits). */
  public static final int MAX_BLOCKS_RESPONSE_BYTES = 16 << 20;

  /** Transactions one gossip batch may carry. */
  public static final int MAX_TRANSACTIONS_PER_BATCH = TransactionBatch.MAX_TRANSACTIONS;

  /** Decompressed size cap of a transaction-topic message. */
  public static final int MAX_TX_MESSAGE_BYTES = 256 << 10;

  public static SyncProtocols of(String networkId, ConsensusParams params) {
    String prefix = "/meshwork/" + networkId + "/";
    int maxTxs = params.maxTransactionsPerBlock();
    int blockBytes = params.maxBlockBytes();
    ReqRespProtocol status =
        new ReqRespProtocol(
            STATUS_PROTOCOL_ID,
            512,
            512,
            Duration.ofSeconds(5),
            new RateLimit(8, Duration.ofSeconds(1)),
            new RateLimit(256, Duration.ofMillis(10)),
            2);
    ReqRespProtocol blockTxs =
        new ReqRespProtocol(
            prefix + "block-txs/1",
            Hash.SIZE + 16 + 5 * maxTxs,
            blockBytes + 64,
            Duration.ofSeconds(5),
            new RateLimit(64, Duration.ofMillis(50)),
            new RateLimit(1_024, Duration.ofMillis(1)),
            4);
    ReqRespProtocol blocksByHash =
        new ReqRespProtocol(
            prefix + "blocks-by-hash/1",
            8 + MAX_BLOCKS_PER_REQUEST * Hash.SIZE,
            Math.max(MAX_BLOCKS_RESPONSE_BYTES, blockBytes + BlockHeader.MAX_ENCODED_SIZE + 64),
            Duration.ofSeconds(10),
            new RateLimit(512, Duration.ofMillis(5)),
            new RateLimit(2_048, Duration.ofMillis(1)),
            4);
    return new SyncProtocols(
        networkId,
        prefix + "tx/1",
        prefix + "block/1",
        status,
        blockTxs,
        blocksByHash,
        maxTxs,
        blockBytes);
  }

  /** The largest decompressed block-topic message: a full block and its kind byte (2 MiB). */
  public int maxBlockMessageBytes() {
    return Math.max(2 << 20, maxBlockBytes + 16);
  }
}
