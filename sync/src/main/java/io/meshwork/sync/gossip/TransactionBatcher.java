package io.meshwork.sync.gossip;

import io.meshwork.chain.model.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Groups transactions into batches for the tx topic (chain-gossip.md, "Messages"), trading at most
 * {@code lingerNanos} of latency for fewer, larger messages. A batch is released when it reaches
 * {@code maxTransactions}, when one more transaction would take it over {@code maxBytes} (the sum
 * of canonical transaction encodings; the batch encoding adds at most 3 bytes), or once its oldest
 * transaction has waited {@code lingerNanos}.
 *
 * <p>Sans-IO: the caller passes {@code System.nanoTime()}-style time and calls {@link #poll} at
 * {@link #nextDeadlineNanos()}. Not thread-safe; one caller (e.g. the propagation executor). The
 * pending batch is bounded by both limits.
 */
public final class TransactionBatcher {
  private final int maxTransactions;
  private final int maxBytes;
  private final long lingerNanos;
  private List<Transaction> pending = new ArrayList<>();
  private int pendingBytes;
  private long oldestNanos;

  public TransactionBatcher(int maxTransactions, int maxBytes, long lingerNanos) {
    if (maxTransactions < 1) {
      throw new IllegalArgumentException("maxTransactions must be at least 1");
    }
    if (maxBytes < Transaction.MAX_ENCODED_SIZE) {
      throw new IllegalArgumentException(
          "maxBytes must hold the largest transaction (" + Transaction.MAX_ENCODED_SIZE + ")");
    }
    if (lingerNanos < 0) {
      throw new IllegalArgumentException("lingerNanos must not be negative");
    }
    this.maxTransactions = maxTransactions;
    this.maxBytes = maxBytes;
    this.lingerNanos = lingerNanos;
  }

  /**
   * Adds a transaction; returns a batch to publish now if this one filled it or did not fit (then
   * it starts the next batch).
   */
  public Optional<List<Transaction>> add(Transaction tx, long nowNanos) {
    int size = tx.encodedSize();
    if (!pending.isEmpty() && pendingBytes + size > maxBytes) {
      List<Transaction> full = drain();
      append(tx, size, nowNanos);
      // If tx alone fills a batch, the deadline is already due and the next poll releases it.
      return Optional.of(full);
    }
    append(tx, size, nowNanos);
    return isFull() ? Optional.of(drain()) : Optional.empty();
  }

  /** The pending batch if it is due (its oldest transaction waited {@code lingerNanos}). */
  public Optional<List<Transaction>> poll(long nowNanos) {
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    if (isFull() || nowNanos - oldestNanos >= lingerNanos) {
      return Optional.of(drain());
    }
    return Optional.empty();
  }

  /** When to call {@link #poll} next; {@link Long#MAX_VALUE} while nothing is pending. */
  public long nextDeadlineNanos() {
    if (pending.isEmpty()) {
      return Long.MAX_VALUE;
    }
    return isFull() ? oldestNanos : oldestNanos + lingerNanos;
  }

  /** Transactions waiting. */
  public int pending() {
    return pending.size();
  }

  /** Sum of the waiting transactions' encodings. */
  public int pendingBytes() {
    return pendingBytes;
  }

  private boolean isFull() {
    return pending.size() >= maxTransactions || pendingBytes >= maxBytes;
  }

  private void append(Transaction tx, int size, long nowNanos) {
    if (pending.isEmpty()) {
      oldestNanos = nowNanos;
    }
    pending.add(tx);
    pendingBytes += size;
  }

  private List<Transaction> drain() {
    List<Transaction> out = List.copyOf(pending);
    pending = new ArrayList<>();
    pendingBytes = 0;
    return out;
  }
}
