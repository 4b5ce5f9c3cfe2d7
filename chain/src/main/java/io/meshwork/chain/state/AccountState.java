package io.meshwork.chain.state;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Hash;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * All accounts in memory, with an incrementally maintained {@link StateRoot}. Mutable and not
 * thread-safe: the chain owns one and mutates it on its import thread. Memory grows with the number
 * of accounts (about 100 bytes each), which bounds it at the size of the chain's state.
 */
public final class AccountState implements AccountView {
  private final TreeMap<Address, Account>[] buckets;
  private final Hash[] bucketHashes = new Hash[StateRoot.BUCKETS];
  private int size;

  @SuppressWarnings("unchecked")
  public AccountState() {
    buckets = new TreeMap[StateRoot.BUCKETS];
    for (int i = 0; i < StateRoot.BUCKETS; i++) {
      buckets[i] = new TreeMap<>();
    }
  }

  public static AccountState of(Map<Address, Account> accounts) {
    AccountState state = new AccountState();
    accounts.forEach(state::put);
    return state;
  }

  /** The account, or {@link Account#EMPTY}. */
  @Override
  public Account get(Address address) {
    Account account = buckets[address.firstByte()].get(address);
    return account == null ? Account.EMPTY : account;
  }

  /** Sets an account; an empty account removes it. */
  public void put(Address address, Account account) {
    int bucket = address.firstByte();
    Account previous =
        account.isEmpty() ? buckets[bucket].remove(address) : buckets[bucket].put(address, account);
    if (previous == null && !account.isEmpty()) {
      size++;
    } else if (previous != null && account.isEmpty()) {
      size--;
    }
    bucketHashes[bucket] = null;
  }

  /** The state root; rehashes only buckets touched since the last call. */
  public Hash root() {
    for (int i = 0; i < StateRoot.BUCKETS; i++) {
      if (bucketHashes[i] == null) {
        bucketHashes[i] = StateRoot.bucketHash(buckets[i]);
      }
    }
    return StateRoot.fromBucketHashes(bucketHashes);
  }

  public int size() {
    return size;
  }

  /** An immutable snapshot of every non-empty account, in address order. */
  public SortedMap<Address, Account> accounts() {
    TreeMap<Address, Account> all = new TreeMap<>();
    for (TreeMap<Address, Account> bucket : buckets) {
      all.putAll(bucket);
    }
    return java.util.Collections.unmodifiableSortedMap(all);
  }

  /** A deep copy (accounts are immutable records). */
  public AccountState copy() {
    AccountState copy = new AccountState();
    for (int i = 0; i < StateRoot.BUCKETS; i++) {
      copy.buckets[i].putAll(buckets[i]);
      copy.bucketHashes[i] = bucketHashes[i];
    }
    copy.size = size;
    return copy;
  }
}
