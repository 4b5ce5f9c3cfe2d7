package io.meshwork.chain.mempool;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.state.Account;
import io.meshwork.chain.state.AccountView;
import io.meshwork.chain.validation.BlockValidator;
import io.meshwork.chain.validation.ValidationFailure;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pending transactions. Not thread-safe: the chain calls it under its own lock.
 *
 * <p>Eviction: when full, the cheapest transaction that is last in its sender's queue goes (never
 * one in the middle, which would strand its successors), and only for a transaction paying more.
 */
public final class Mempool {
  /** The outcome of {@link #add}. */
  public sealed interface AddResult {}

  /** Accepted; it may have replaced one (same sender and nonce) and evicted others. */
  public record Added(Transaction tx, Optional<Transaction> replaced, List<Transaction> evicted)
      implements AddResult {}

  /** Refused, with the reason. */
  public record Rejected(Transaction tx, ValidationFailure failure) implements AddResult {}

  private final MempoolConfig config;
  private final BlockValidator validator;
  private final Map<Hash, Transaction> byId = new HashMap<>();
  private final Map<Address, TreeMap<Long, Transaction>> bySender = new HashMap<>();
  private long bytes;

  public Mempool(MempoolConfig config, BlockValidator validator) {
    this.config = config;
    this.validator = validator;
  }

  /** Validates {@code tx} against {@code head} (signature included) and adds it. */
  public AddResult add(Transaction tx, AccountView head) {
    if (byId.containsKey(tx.id())) {
      return reject(tx, Reason.ALREADY_KNOWN, "transaction " + tx.id() + " already pending");
    }
    Optional<ValidationFailure> alone = validator.checkTransactionAlone(tx);
    if (alone.isPresent()) {
      return new Rejected(tx, alone.get());
    }
    return addVerified(tx, head);
  }

  private AddResult addVerified(Transaction tx, AccountView head) {
    Account account = head.get(tx.from());
    if (tx.nonce() < account.nonce()) {
      return reject(
          tx,
          Reason.BAD_NONCE,
          "nonce " + tx.nonce() + " already used (account at " + account.nonce() + ")");
    }
    if (tx.nonce() > account.nonce() + config.maxNonceGap()) {
      return reject(
          tx,
          Reason.NONCE_TOO_FAR_AHEAD,
          "nonce "
              + tx.nonce()
              + " more than "
              + config.maxNonceGap()
              + " ahead of "
              + account.nonce());
    }
    TreeMap<Long, Transaction> queue = bySender.getOrDefault(tx.from(), new TreeMap<>());
    Transaction existing = queue.get(tx.nonce());
    if (existing != null && tx.fee() <= existing.fee()) {
      return reject(
          tx,
          Reason.REPLACEMENT_FEE_TOO_LOW,
          "fee " + tx.fee() + " does not exceed the pending " + existing.fee());
    }
    long spent = 0;
    try {
      for (Transaction earlier : queue.headMap(tx.nonce(), false).values()) {
        spent = Math.addExact(spent, Math.addExact(earlier.amount(), earlier.fee()));
      }
      spent = Math.addExact(spent, Math.addExact(tx.amount(), tx.fee()));
    } catch (ArithmeticException e) {
      return reject(tx, Reason.AMOUNT_OVERFLOW, "pending spending overflows");
    }
    if (spent > account.balance()) {
      return reject(
          tx,
          Reason.INSUFFICIENT_BALANCE,
          tx.from() + " has " + account.balance() + ", pending spending would be " + spent);
    }
    List<Transaction> evicted = new ArrayList<>();
    long extraBytes = tx.encodedSize() - (existing == null ? 0 : existing.encodedSize());
    int extraCount = existing == null ? 1 : 0;
    while (byId.size() + extraCount > config.maxTransactions()
        || bytes + extraBytes > config.maxBytes()) {
      Optional<Transaction> victim = cheapestTail(tx.from());
      if (victim.isEmpty() || victim.get().fee() >= tx.fee()) {
        return reject(
            tx,
            Reason.MEMPOOL_FULL,
            "mempool full and fee " + tx.fee() + " does not beat the cheapest");
      }
      remove(victim.get());
      evicted.add(victim.get());
    }
    if (existing != null) {
      remove(existing);
    }
    insert(tx);
    evicted.addAll(pruneSender(tx.from(), account));
    return new Added(tx, Optional.ofNullable(existing), List.copyOf(evicted));
  }

  private static Rejected reject(Transaction tx, Reason reason, String message) {
    return new Rejected(tx, ValidationFailure.of(reason, message));
  }

  private Optional<Transaction> cheapestTail(Address except) {
    Transaction cheapest = null;
    for (Map.Entry<Address, TreeMap<Long, Transaction>> entry : bySender.entrySet()) {
      if (entry.getKey().equals(except)) {
        continue;
      }
      Transaction tail = entry.getValue().lastEntry().getValue();
      if (cheapest == null || tail.fee() < cheapest.fee()) {
        cheapest = tail;
      }
    }
    return Optional.ofNullable(cheapest);
  }

  private void insert(Transaction tx) {
    byId.put(tx.id(), tx);
    bySender.computeIfAbsent(tx.from(), a -> new TreeMap<>()).put(tx.nonce(), tx);
    bytes += tx.encodedSize();
  }

  private void remove(Transaction tx) {
    byId.remove(tx.id());
    bytes -= tx.encodedSize();
    TreeMap<Long, Transaction> queue = bySender.get(tx.from());
    queue.remove(tx.nonce());
    if (queue.isEmpty()) {
      bySender.remove(tx.from());
    }
  }

  /** Drops a sender's transactions that are used up or no longer affordable in sequence. */
  private List<Transaction> pruneSender(Address sender, Account account) {
    TreeMap<Long, Transaction> queue = bySender.get(sender);
    if (queue == null) {
      return List.of();
    }
    List<Transaction> dropped = new ArrayList<>();
    long spent = 0;
    boolean broke = false;
    for (Iterator<Transaction> it = new ArrayList<>(queue.values()).iterator(); it.hasNext(); ) {
      Transaction tx = it.next();
      if (tx.nonce() < account.nonce()) {
        dropped.add(tx);
        continue;
      }
      if (!broke) {
        long cost = tx.amount() + tx.fee();
        if (cost < 0 || spent + cost > account.balance() || spent + cost < 0) {
          broke = true;
        } else {
          spent += cost;
        }
      }
      if (broke) {
        dropped.add(tx);
      }
    }
    dropped.forEach(this::remove);
    return dropped;
  }

  /**
   * Revalidates against a new head: drops what the new head confirmed or made unaffordable, and
   * takes back {@code returned} transactions (from blocks a reorganisation removed, minus those the
   * new branch includes). Their signatures were checked when their blocks were, so are not
   * rechecked.
   */
  public void onHeadChanged(AccountView head, List<Transaction> returned) {
    for (Address sender : new ArrayList<>(bySender.keySet())) {
      pruneSender(sender, head.get(sender));
    }
    for (Transaction tx : returned) {
      if (!byId.containsKey(tx.id())) {
        addVerified(tx, head);
      }
    }
  }

  /**
   * Transactions for the next block: within a sender in nonce order from the account's nonce,
   * across senders the highest fee next, within the count and byte limits.
   */
  public List<Transaction> selectForBlock(int maxCount, long maxBytes, AccountView head) {
    record Cursor(Address sender, Transaction next, long remainingBalance) {}
    PriorityQueue<Cursor> ready =
        new PriorityQueue<>(
            Comparator.comparingLong((Cursor c) -> c.next().fee())
                .reversed()
                .thenComparing(c -> c.next().id()));
    for (Map.Entry<Address, TreeMap<Long, Transaction>> entry : bySender.entrySet()) {
      Account account = head.get(entry.getKey());
      Transaction first = entry.getValue().get(account.nonce());
      if (first != null) {
        ready.add(new Cursor(entry.getKey(), first, account.balance()));
      }
    }
    List<Transaction> selected = new ArrayList<>();
    long used = 0;
    while (!ready.isEmpty() && selected.size() < maxCount) {
      Cursor cursor = ready.poll();
      Transaction tx = cursor.next();
      long cost = tx.amount() + tx.fee();
      if (used + tx.encodedSize() > maxBytes || cost < 0 || cost > cursor.remainingBalance()) {
        continue;
      }
      selected.add(tx);
      used += tx.encodedSize();
      Transaction following = bySender.get(cursor.sender()).get(tx.nonce() + 1);
      if (following != null) {
        ready.add(new Cursor(cursor.sender(), following, cursor.remainingBalance() - cost));
      }
    }
    return selected;
  }

  /** Ids of all pending transactions (a copy), for compact blocks and bloom filters. */
  public Set<Hash> ids() {
    return Set.copyOf(byId.keySet());
  }

  public Optional<Transaction> get(Hash id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** All pending transactions (a copy, in no particular order), for compact block rebuilding. */
  public List<Transaction> transactions() {
    return List.copyOf(byId.values());
  }

  public boolean contains(Hash id) {
    return byId.containsKey(id);
  }

  public int size() {
    return byId.size();
  }

  public long bytes() {
    return bytes;
  }
}
