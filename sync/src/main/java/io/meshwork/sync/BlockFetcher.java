package io.meshwork.sync;

import io.meshwork.chain.Chain;
import io.meshwork.chain.ImportResult;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.reqresp.ReqResp;
import io.meshwork.sync.wire.BlockTxsRequest;
import io.meshwork.sync.wire.BlockTxsResponse;
import io.meshwork.sync.wire.BlocksByHashRequest;
import io.meshwork.sync.wire.BlocksByHashResponse;
import io.meshwork.sync.wire.WireFormatException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks peers for what relay lacks (chain-reqresp.md): the missing transactions of a compact block,
 * a whole block, or the ancestors of a block whose parent we do not know ("catch-up": walking back
 * one block per request from a peer's head until it meets our tree, bounded in blocks and bytes,
 * then importing oldest first). Deeper gaps are header-first sync's job.
 *
 * <p>Thread-safe; continuations run on {@code executor}. One catch-up per peer at a time, at most
 * {@link #MAX_CONCURRENT_CATCH_UPS} over all peers (a skipped one is retried at the next status).
 */
final class BlockFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(BlockFetcher.class);

  private final Host host;
  private final ReqResp reqResp;
  private final Chain chain;
  private final SyncProtocols protocols;
  private final SyncConfig config;
  private final SyncMetrics metrics;
  private final Executor executor;

  /**
   * Catch-ups running at once, over all peers: each may hold up to maxCatchUpBytes of blocks before
   * they are checked, so without this bound every peer claiming a heavier chain would multiply the
   * memory a node can be made to spend.
   */
  static final int MAX_CONCURRENT_CATCH_UPS = 2;

  private final Set<PeerId> catchingUp = ConcurrentHashMap.newKeySet();
  private volatile Consumer<Hash> cameFromNetwork = h -> {};

  BlockFetcher(
      Host host,
      ReqResp reqResp,
      Chain chain,
      SyncProtocols protocols,
      SyncConfig config,
      SyncMetrics metrics,
      Executor executor) {
    this.host = host;
    this.reqResp = reqResp;
    this.chain = chain;
    this.protocols = protocols;
    this.config = config;
    this.metrics = metrics;
    this.executor = executor;
  }

  void onFetchedBlock(Consumer<Hash> listener) {
    this.cameFromNetwork = listener;
  }

  /**
   * The transactions at {@code indexes} of block {@code hash}, in that order, from {@code peer}.
   */
  CompletableFuture<List<Transaction>> blockTxs(PeerId peer, Hash hash, List<Integer> indexes) {
    byte[] request = new BlockTxsRequest(hash, indexes).encode();
    return reqResp
        .request(peer, protocols.blockTxs(), request)
        .thenApplyAsync(
            bytes -> {
              metrics.blockFetchBytes.addAndGet(bytes.length);
              BlockTxsResponse response =
                  BlockTxsResponse.decode(bytes, protocols.maxTransactionsPerBlock());
              if (!response.blockHash().equals(hash)) {
                throw misbehaved(peer, protocols.blockTxs().id(), "block-txs for another block");
              }
              return response.transactions();
            },
            executor);
  }

  /** Block {@code hash} from {@code peer}; fails if the peer does not have it or sends another. */
  CompletableFuture<Block> blockByHash(PeerId peer, Hash hash) {
    byte[] request = new BlocksByHashRequest(List.of(hash)).encode();
    return reqResp
        .request(peer, protocols.blocksByHash(), request)
        .thenApplyAsync(
            bytes -> {
              metrics.blockFetchBytes.addAndGet(bytes.length);
              BlocksByHashResponse response =
                  BlocksByHashResponse.decode(
                      bytes,
                      SyncProtocols.MAX_BLOCKS_PER_REQUEST,
                      protocols.maxTransactionsPerBlock());
              if (response.blocks().isEmpty()) {
                throw new IllegalStateException(peer + " does not have block " + hash);
              }
              Block block = response.blocks().get(0);
              if (!block.hash().equals(hash)) {
                throw misbehaved(
                    peer,
                    protocols.blocksByHash().id(),
                    "sent block " + block.hash() + " for " + hash);
              }
              return block;
            },
            executor);
  }

  /**
   * Fetches {@code from} and its ancestors from {@code peer} until one connects to our tree, then
   * imports them oldest first. Does nothing if a catch-up from that peer is already running.
   */
  void catchUp(PeerId peer, Hash from) {
    if (config.maxCatchUpBlocks() == 0 || !startCatchUp(peer)) {
      return;
    }
    walkBack(peer, from, new ArrayDeque<>(), 0)
        .whenCompleteAsync(
            (blocks, e) -> {
              try {
                if (e != null) {
                  LOG.debug("catch-up from {} stopped: {}", peer, e.getMessage());
                } else {
                  importOldestFirst(peer, blocks);
                }
              } finally {
                catchingUp.remove(peer);
              }
            },
            executor);
  }

  private synchronized boolean startCatchUp(PeerId peer) {
    return catchingUp.size() < MAX_CONCURRENT_CATCH_UPS && catchingUp.add(peer);
  }

  private CompletableFuture<Deque<Block>> walkBack(
      PeerId peer, Hash hash, Deque<Block> newestFirst, long bytes) {
    if (chain.header(hash).isPresent()) {
      return CompletableFuture.completedFuture(newestFirst);
    }
    if (newestFirst.size() >= config.maxCatchUpBlocks() || bytes >= config.maxCatchUpBytes()) {
      LOG.info(
          "{} is more than {} blocks ahead on a branch we do not know; header-first sync is needed",
          peer,
          newestFirst.size());
      return CompletableFuture.completedFuture(newestFirst);
    }
    return blockByHash(peer, hash)
        .thenCompose(
            block -> {
              newestFirst.addLast(block);
              return walkBack(peer, block.parent(), newestFirst, bytes + block.encodedSize());
            });
  }

  private void importOldestFirst(PeerId peer, Deque<Block> newestFirst) {
    List<Block> blocks = new ArrayList<>(newestFirst);
    for (int i = blocks.size() - 1; i >= 0; i--) {
      Block block = blocks.get(i);
      if (i > 0) {
        // The newest is left unmarked: once adopted it is announced like a block we mined, so
        // peers behind us hear of the branch (gossip forwards only what came by gossip).
        cameFromNetwork.accept(block.hash());
      }
      ImportResult result = chain.importBlock(block);
      metrics.catchUpBlocks.incrementAndGet();
      if (result instanceof ImportResult.Invalid invalid) {
        misbehaved(peer, protocols.blocksByHash().id(), "invalid block: " + invalid.failure());
        return;
      }
    }
    if (!blocks.isEmpty()) {
      LOG.info(
          "caught up {} blocks from {}; head {}", blocks.size(), peer, chain.headHeader().height());
    }
  }

  /** Reports a peer that relayed a block the chain then refused. */
  void reportInvalid(PeerId peer, String reason) {
    host.publish(new NetworkEvent.PeerMisbehaved(peer, protocols.blockTopic(), reason));
  }

  private RuntimeException misbehaved(PeerId peer, String protocol, String reason) {
    host.publish(new NetworkEvent.PeerMisbehaved(peer, protocol, reason));
    return new WireFormatException(reason);
  }
}
