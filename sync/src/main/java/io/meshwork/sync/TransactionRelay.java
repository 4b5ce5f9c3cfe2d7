package io.meshwork.sync;

import io.meshwork.chain.Chain;
import io.meshwork.chain.mempool.Mempool;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.pubsub.PubsubMessage;
import io.meshwork.networking.pubsub.ValidationResult;
import io.meshwork.sync.gossip.TransactionBatcher;
import io.meshwork.sync.wire.Snappy;
import io.meshwork.sync.wire.TransactionBatch;
import io.meshwork.sync.wire.WireFormatException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction topic (chain-gossip.md, "Transactions"): validates incoming batches into the
 * mempool, and batches our own new transactions so that many arriving together share one gossip
 * message while a lone one waits at most the linger time. Gossipsub forwards accepted batches as
 * they came; only local submissions are published here.
 *
 * <p>Validation runs on {@code validationExecutor} (bounded; a full queue makes the message
 * ignored, never the router thread blocked); batching on {@code batchThread}.
 */
final class TransactionRelay {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionRelay.class);

  private final Chain chain;
  private final GossipService gossip;
  private final SyncProtocols protocols;
  private final SyncMetrics metrics;
  private final RecentTransactions recent;
  private final Executor validationExecutor;
  private final ScheduledExecutorService batchThread;
  private final LongSupplier nanoClock;
  private final TransactionBatcher batcher; // batchThread only
  private ScheduledFuture<?> flush; // batchThread only

  TransactionRelay(
      Chain chain,
      GossipService gossip,
      SyncProtocols protocols,
      SyncConfig config,
      SyncMetrics metrics,
      RecentTransactions recent,
      Executor validationExecutor,
      ScheduledExecutorService batchThread,
      LongSupplier nanoClock) {
    this.chain = chain;
    this.gossip = gossip;
    this.protocols = protocols;
    this.metrics = metrics;
    this.recent = recent;
    this.validationExecutor = validationExecutor;
    this.batchThread = batchThread;
    this.nanoClock = nanoClock;
    this.batcher =
        new TransactionBatcher(
            config.txBatchMaxTransactions(),
            config.txBatchMaxBytes(),
            config.txBatchLinger().toNanos());
  }

  /** Validates a local transaction into the mempool and, if new, queues it for gossip. */
  Mempool.AddResult submit(Transaction tx) {
    Mempool.AddResult result = chain.submit(tx);
    if (result instanceof Mempool.Added) {
      recent.seen(tx.id());
      batchThread.execute(() -> enqueue(tx));
    }
    return result;
  }

  /** Gossips transactions again (a reorganisation returned them to the mempool). */
  void republish(List<Transaction> txs) {
    batchThread.execute(() -> txs.forEach(this::enqueue));
  }

  private void enqueue(Transaction tx) {
    Optional<List<Transaction>> full = batcher.add(tx, nanoClock.getAsLong());
    full.ifPresent(this::publish);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (flush != null) {
      flush.cancel(false);
      flush = null;
    }
    if (batcher.pending() > 0) {
      long delay = Math.max(0, batcher.nextDeadlineNanos() - nanoClock.getAsLong());
      flush = batchThread.schedule(this::flushDue, delay, TimeUnit.NANOSECONDS);
    }
  }

  private void flushDue() {
    flush = null;
    batcher.poll(nanoClock.getAsLong()).ifPresent(this::publish);
    scheduleFlush();
  }

  private void publish(List<Transaction> txs) {
    byte[] payload = Snappy.compress(new TransactionBatch(txs).encode());
    metrics.txBatchesPublished.incrementAndGet();
    metrics.txsPublished.addAndGet(txs.size());
    gossip
        .publish(protocols.txTopic(), payload)
        .exceptionally(
            e -> {
              // An identical batch published before has the same content id: gossip refuses it
              // as a duplicate (a reorganisation returning a batch we already sent, say).
              LOG.debug("publishing {} transactions failed: {}", txs.size(), e.getMessage());
              return null;
            });
  }

  /** The topic validator (router thread): hands the work to the validation executor. */
  CompletionStage<ValidationResult> validate(PeerId source, PubsubMessage message) {
    byte[] data = message.data();
    try {
      return CompletableFuture.supplyAsync(() -> check(data), validationExecutor);
    } catch (RejectedExecutionException e) {
      metrics.validationsShed.incrementAndGet();
      return CompletableFuture.completedFuture(ValidationResult.IGNORE);
    }
  }

  ValidationResult check(byte[] data) {
    TransactionBatch batch;
    try {
      batch =
          TransactionBatch.decode(
              Snappy.decompress(data, SyncProtocols.MAX_TX_MESSAGE_BYTES),
              SyncProtocols.MAX_TRANSACTIONS_PER_BATCH);
    } catch (WireFormatException e) {
      metrics.txsRejected.incrementAndGet();
      return ValidationResult.REJECT;
    }
    metrics.txsReceived.addAndGet(batch.transactions().size());
    boolean anyNew = false;
    for (Transaction tx : batch.transactions()) {
      recent.seen(tx.id());
      Mempool.AddResult result = chain.submit(tx);
      if (result instanceof Mempool.Added) {
        metrics.txsAccepted.incrementAndGet();
        anyNew = true;
      } else if (result instanceof Mempool.Rejected rejected
          && (rejected.failure().reason() == Reason.BAD_SIGNATURE
              || rejected.failure().reason() == Reason.MALFORMED_ENCODING)) {
        // A forged signature is the sender's fault whatever our state: reject the whole batch.
        metrics.txsRejected.incrementAndGet();
        return ValidationResult.REJECT;
      }
      // Other refusals (already pending or mined, a nonce gap, a full pool) depend on our state.
    }
    return anyNew ? ValidationResult.ACCEPT : ValidationResult.IGNORE;
  }
}
