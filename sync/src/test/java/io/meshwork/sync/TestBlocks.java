package io.meshwork.sync;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * Really signed transactions and blocks for codec and compact block tests. Headers carry a correct
 * transactions root but need not satisfy proof of work.
 */
public final class TestBlocks {
  public static final Hash GENESIS = Hash.sha256(new byte[] {42});
  private static final List<SigningKey> KEYS = new ArrayList<>();

  static {
    for (int i = 0; i < 4; i++) {
      KEYS.add(SigningKey.fromSeed(Hash.sha256(new byte[] {(byte) i, 9}).toBytes()));
    }
  }

  private TestBlocks() {}

  /** A distinct signed transfer for every {@code n}. */
  public static Transaction tx(int n) {
    SigningKey from = KEYS.get(n % KEYS.size());
    return Transaction.sign(
        from, GENESIS, KEYS.get((n + 1) % KEYS.size()).address(), 1 + n, 1 + n % 7, n);
  }

  /** Transactions {@code tx(first)} .. {@code tx(first + count - 1)}. */
  public static List<Transaction> txs(int first, int count) {
    List<Transaction> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(tx(first + i));
    }
    return out;
  }

  public static BlockHeader header(List<Transaction> txs) {
    return new BlockHeader(
        Hash.sha256(new byte[] {1}),
        1_234,
        1_700_000_000_000L,
        Block.transactionsRoot(txs),
        Hash.sha256(new byte[] {2}),
        0x1f00ffff,
        99);
  }

  public static Block block(List<Transaction> txs) {
    return new Block(header(txs), txs);
  }
}
