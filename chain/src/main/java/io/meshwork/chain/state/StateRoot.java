package io.meshwork.chain.state;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.MerkleRoot;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The bucketed state root described in the package documentation. */
public final class StateRoot {
  public static final int BUCKETS = 256;

  private StateRoot() {}

  /** The hash of one bucket's accounts, given in address order. */
  public static Hash bucketHash(SortedMap<Address, Account> bucket) {
    CanonicalWriter writer = new CanonicalWriter(1 + bucket.size() * 40);
    writer.varint(bucket.size());
    for (Map.Entry<Address, Account> entry : bucket.entrySet()) {
      writer.address(entry.getKey());
      entry.getValue().writeTo(writer);
    }
    return Hash.sha256(writer.toByteArray());
  }

  public static Hash fromBucketHashes(Hash[] bucketHashes) {
    return MerkleRoot.of(Arrays.asList(bucketHashes));
  }

  /** The root of a full account map, computed from scratch (genesis, tests). */
  public static Hash of(Map<Address, Account> accounts) {
    @SuppressWarnings("unchecked")
    SortedMap<Address, Account>[] buckets = new SortedMap[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] = new TreeMap<>();
    }
    accounts.forEach(
        (address, account) -> {
          if (!account.isEmpty()) {
            buckets[address.firstByte()].put(address, account);
          }
        });
    Hash[] hashes = new Hash[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      hashes[i] = bucketHash(buckets[i]);
    }
    return fromBucketHashes(hashes);
  }
}
