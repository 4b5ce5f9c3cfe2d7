package io.meshwork.sync;

import io.meshwork.chain.Chain;
import io.meshwork.chain.ChainEvent;
import io.meshwork.chain.ImportResult;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.validation.ValidationFailure;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.pubsub.PubsubMessage;
import io.meshwork.networking.pubsub.ValidationResult;
import io.meshwork.sync.compact.BlockReconstructor;
import io.meshwork.sync.compact.CompactBlock;
import io.meshwork.sync.compact.CompactBlockBuilder;
import io.meshwork.sync.wire.BlockAnnouncement;
import io.meshwork.sync.wire.Snappy;
import io.meshwork.sync.wire.WireFormatException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The block topic (chain-gossip.md, "Blocks"): announces the blocks this node adds to its chain
 * itself (mined here) as compact or full blocks, and validates announcements from peers. A block is
 * forwarded only once it is rebuilt and imported: from the mempool alone when it can be, else after
 * fetching the missing transactions from the peer that sent it, else as a full block from that
 * peer; invalid blocks are rejected (gossip scoring penalises the sender).
 *
 * <p>Threads: validation steps run on {@code blockExecutor} (bounded, shed when full); fetches are
 * asynchronous and resume there. Chain events arrive on the importing thread and are handed off.
 */
final class BlockRelay {
  private static final Logger LOG = LoggerFactory.getLogger(BlockRelay.class);

  private final Chain chain;
  private final GossipService gossip;
  private final SyncProtocols protocols;
  private final SyncConfig config;
  private final SyncMetrics metrics;
  private final RecentTransactions recent;
  private final BlockFetcher fetcher;
  private final Executor blockExecutor;
  private final KnownBlocks fromNetwork = new KnownBlocks(8_192);
  private final RecentBlocks relayed = new RecentBlocks(16);
  private final Set<Hash> inFlight = ConcurrentHashMap.newKeySet();
  private final SecureRandom random = new SecureRandom();
  private final Consumer<List<Transaction>> onReturnedTransactions;

  BlockRelay(
      Chain chain,
      GossipService gossip,
      SyncProtocols protocols,
      SyncConfig config,
      SyncMetrics metrics,
      RecentTransactions recent,
      BlockFetcher fetcher,
      Executor blockExecutor,
      Consumer<List<Transaction>> onReturnedTransactions) {
    this.chain = chain;
    this.gossip = gossip;
    this.protocols = protocols;
    this.config = config;
    this.metrics = metrics;
    this.recent = recent;
    this.fetcher = fetcher;
    this.blockExecutor = blockExecutor;
    this.onReturnedTransactions = onReturnedTransactions;
  }

  /** Marks blocks that came from peers: those are forwarded by gossip, never re-announced. */
  void cameFromNetwork(Hash block) {
    fromNetwork.add(block);
  }

  /** Chain listener (importing thread, chain lock held): announces blocks that did not come in. */
  void onChainEvent(ChainEvent event) {
    if (event instanceof ChainEvent.HeadChanged changed) {
      if (changed.isReorganization()) {
        metrics.reorgs.incrementAndGet();
        if (!changed.returnedToMempool().isEmpty()) {
          // Peers on the winning branch may never have seen them: gossip them again.
          onReturnedTransactions.accept(changed.returnedToMempool());
        }
      }
      for (Block block : changed.added()) {
        if (!fromNetwork.contains(block.hash())) {
          fromNetwork.add(block.hash());
          try {
            blockExecutor.execute(() -> announce(block));
          } catch (RejectedExecutionException e) {
            LOG.warn("not announcing block {}: the block queue is full", block.hash());
          }
        }
      }
    }
  }

  private void announce(Block block) {
    BlockAnnouncement announcement =
        config.relayMode() == BlockRelayMode.COMPACT
            ? new BlockAnnouncement.Compact(
                CompactBlockBuilder.build(
                    block,
                    random.nextLong(),
                    tx -> recent.isFresh(tx, config.freshTransactionWindow().toNanos())))
            : new BlockAnnouncement.Full(block);
    metrics.blocksPublished.incrementAndGet();
    gossip
        .publish(protocols.blockTopic(), Snappy.compress(announcement.encode()))
        .exceptionally(
            e -> {
              LOG.warn("announcing block {} failed: {}", block.hash(), e.getMessage());
              return null;
            });
  }

  /** The topic validator (router thread): hands the work to the block executor. */
  CompletionStage<ValidationResult> validate(PeerId source, PubsubMessage message) {
    byte[] data = message.data();
    try {
      return CompletableFuture.supplyAsync(() -> process(source, data), blockExecutor)
          .thenCompose(result -> result);
    } catch (RejectedExecutionException e) {
      metrics.validationsShed.incrementAndGet();
      metrics.blocksIgnored.incrementAndGet();
      return CompletableFuture.completedFuture(ValidationResult.IGNORE);
    }
  }

  CompletableFuture<ValidationResult> process(PeerId source, byte[] data) {
    BlockAnnouncement announcement;
    try {
      byte[] plain = Snappy.decompress(data, protocols.maxBlockMessageBytes());
      metrics.blockGossipBytes.addAndGet(plain.length);
      announcement = BlockAnnouncement.decode(plain, protocols.maxTransactionsPerBlock());
    } catch (WireFormatException e) {
      LOG.debug("undecodable block announcement from {}: {}", source, e.getMessage());
      return done(reject());
    }
    metrics.blocksReceived.incrementAndGet();
    BlockHeader header = header(announcement);
    Hash hash = header.hash();
    if (chain.header(hash).isPresent() || !inFlight.add(hash)) {
      return done(ignore());
    }
    Optional<ValidationFailure> failure = chain.checkHeaders(List.of(header));
    if (failure.isPresent()) {
      Reason reason = failure.get().reason();
      if (reason == Reason.UNKNOWN_PARENT) {
        // Checked alone when imported (an orphan); its ancestors are then fetched.
      } else if (failure.get().isTemporary()) {
        inFlight.remove(hash);
        return done(ignore());
      } else {
        inFlight.remove(hash);
        LOG.debug("block {} from {} fails header checks: {}", hash, source, failure.get());
        return done(reject());
      }
    }
    return blockOf(source, announcement)
        .thenApplyAsync(block -> importAnnounced(source, block), blockExecutor)
        .exceptionally(
            e -> {
              LOG.debug("block {} from {} not obtained: {}", hash, source, e.getMessage());
              return ignore();
            })
        .whenComplete((r, e) -> inFlight.remove(hash));
  }

  private static BlockHeader header(BlockAnnouncement announcement) {
    if (announcement instanceof BlockAnnouncement.Full full) {
      return full.block().header();
    }
    return ((BlockAnnouncement.Compact) announcement).block().header();
  }

  /** The whole block: as sent, or rebuilt from the mempool, repaired or fetched whole. */
  private CompletableFuture<Block> blockOf(PeerId source, BlockAnnouncement announcement) {
    if (announcement instanceof BlockAnnouncement.Full full) {
      return CompletableFuture.completedFuture(full.block());
    }
    CompactBlock compact = ((BlockAnnouncement.Compact) announcement).block();
    BlockReconstructor rebuilding = BlockReconstructor.start(compact, chain.mempoolTransactions());
    BlockReconstructor.Result result = rebuilding.result();
    if (result instanceof BlockReconstructor.Result.Complete complete) {
      metrics.compactWithoutRoundTrip.incrementAndGet();
      return CompletableFuture.completedFuture(complete.block());
    }
    Hash hash = compact.header().hash();
    if (result instanceof BlockReconstructor.Result.Missing missing) {
      return fetcher
          .blockTxs(source, hash, missing.indexes())
          .thenApplyAsync(rebuilding::fill, blockExecutor)
          .handle(
              (filled, e) -> {
                if (filled instanceof BlockReconstructor.Result.Complete complete) {
                  metrics.compactWithRoundTrip.incrementAndGet();
                  return CompletableFuture.completedFuture(complete.block());
                }
                LOG.debug(
                    "compact block {}: repair failed ({}), fetching it whole",
                    hash,
                    e != null ? e.getMessage() : filled);
                return fullBlock(source, hash);
              })
          .thenCompose(f -> f);
    }
    LOG.debug("compact block {}: {}, fetching it whole", hash, result);
    return fullBlock(source, hash);
  }

  private CompletableFuture<Block> fullBlock(PeerId source, Hash hash) {
    metrics.compactFellBackToFull.incrementAndGet();
    return fetcher.blockByHash(source, hash);
  }

  /**
   * Relays a block once it passes the chain's stateless checks (the and BIP152's rule:
   * proof of work, header in context, body root and signatures), then imports it: the state
   * transition is the costly step, and waiting for it at every hop would multiply it by the
   * network's diameter. A block that passes those checks but fails on import (a bad state root, a
   * spent nonce) cannot be rejected any more; its sender is reported as misbehaving instead.
   */
  private ValidationResult importAnnounced(PeerId source, Block block) {
    fromNetwork.add(block.hash());
    Optional<ValidationFailure> failure = chain.checkStateless(block);
    if (failure.isPresent() && failure.get().reason() == Reason.UNKNOWN_PARENT) {
      return importOrphan(source, block);
    }
    if (failure.isPresent()) {
      LOG.debug("invalid block {} from {}: {}", block.hash(), source, failure.get());
      return failure.get().isTemporary() ? ignore() : reject();
    }
    if (chain.header(block.hash()).isPresent()) {
      return ignore();
    }
    relayed.add(block);
    metrics.blocksAccepted.incrementAndGet();
    try {
      blockExecutor.execute(() -> importRelayed(source, block));
    } catch (RejectedExecutionException e) {
      importRelayed(source, block); // already on the block executor: never drop a relayed block
    }
    return ValidationResult.ACCEPT;
  }

  private void importRelayed(PeerId source, Block block) {
    ImportResult result = chain.importBlock(block);
    if (result instanceof ImportResult.Invalid invalid && !invalid.failure().isTemporary()) {
      LOG.info(
          "block {} from {} passed relay checks but failed import: {}",
          block.hash(),
          source,
          invalid.failure());
      fetcher.reportInvalid(source, "relayed an invalid block: " + invalid.failure());
    } else if (result instanceof ImportResult.Orphan o) {
      fetcher.catchUp(source, o.missingParent());
    }
  }

  private ValidationResult importOrphan(PeerId source, Block block) {
    ImportResult result = chain.importBlock(block);
    if (result instanceof ImportResult.Orphan o) {
      metrics.orphansReceived.incrementAndGet();
      fetcher.catchUp(source, o.missingParent());
      return ignore();
    }
    if (result instanceof ImportResult.Invalid invalid) {
      return invalid.failure().isTemporary() ? ignore() : reject();
    }
    return ignore(); // the parent arrived meanwhile: imported, not relayed by us this time
  }

  /** A block we relayed but may not have imported yet, for block-txs and blocks-by-hash. */
  Optional<Block> relayedBlock(Hash hash) {
    return relayed.get(hash);
  }

  private ValidationResult reject() {
    metrics.blocksRejected.incrementAndGet();
    return ValidationResult.REJECT;
  }

  private ValidationResult ignore() {
    metrics.blocksIgnored.incrementAndGet();
    return ValidationResult.IGNORE;
  }

  private static CompletableFuture<ValidationResult> done(ValidationResult result) {
    return CompletableFuture.completedFuture(result);
  }
}
