package io.meshwork.chain.store;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.state.Account;
import io.meshwork.chain.state.UndoData;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The chain's records in a {@link KeyValueStore}: blocks and headers by hash, the canonical height
 * index, undo data per canonical block, accounts of the head state, the head and the genesis hash.
 * Key layout: a one-byte prefix then the hash, big-endian height or address. Thread-safe as the
 * underlying store is; the chain writes from one thread.
 */
public final class ChainStore {
  private static final byte HEADER = 'h';
  private static final byte BLOCK = 'b';
  private static final byte HEIGHT = 'n';
  private static final byte UNDO = 'u';
  private static final byte ACCOUNT = 'a';
  private static final byte[] HEAD = {'m', 'h', 'e', 'a', 'd'};
  private static final byte[] GENESIS = {'m', 'g', 'e', 'n'};

  private final KeyValueStore store;
  private final int maxTransactionsPerBlock;

  public ChainStore(KeyValueStore store, int maxTransactionsPerBlock) {
    this.store = store;
    this.maxTransactionsPerBlock = maxTransactionsPerBlock;
  }

  /**
   * One atomic change of the canonical chain.
   *
   * @param removed blocks leaving the canonical chain, highest first
   * @param added blocks joining it, lowest first, with their undo data
   * @param accounts the new value of every account the change touched (empty = deleted)
   * @param newHead the new head
   */
  public record HeadChange(
      List<Block> removed,
      List<Block> added,
      Map<Hash, UndoData> undo,
      Map<Address, Account> accounts,
      BlockHeader newHead) {}

  private static byte[] key(byte prefix, byte[] id) {
    byte[] key = new byte[1 + id.length];
    key[0] = prefix;
    System.arraycopy(id, 0, key, 1, id.length);
    return key;
  }

  private static byte[] heightKey(long height) {
    return ByteBuffer.allocate(9).put(HEIGHT).putLong(height).array();
  }

  /** Whether the store holds a chain (it was initialised before). */
  public Optional<Hash> genesisHash() {
    return store.get(GENESIS).map(Hash::of);
  }

  /** Writes the genesis block, its state and the head pointer in one batch. */
  public void initialize(Block genesis, Map<Address, Account> accounts) {
    WriteBatch batch = new WriteBatch();
    putBlock(batch, genesis);
    batch.put(heightKey(0), genesis.hash().toBytes());
    accounts.forEach(
        (address, account) -> batch.put(key(ACCOUNT, address.toBytes()), account.encode()));
    batch.put(HEAD, genesis.hash().toBytes());
    batch.put(GENESIS, genesis.hash().toBytes());
    store.write(batch);
  }

  private static void putBlock(WriteBatch batch, Block block) {
    byte[] hash = block.hash().toBytes();
    batch.put(key(HEADER, hash), block.header().encode());
    batch.put(key(BLOCK, hash), block.encode());
  }

  /** Stores a block that passed the stateless checks (it may never become canonical). */
  public void storeBlock(Block block) {
    WriteBatch batch = new WriteBatch();
    putBlock(batch, block);
    store.write(batch);
  }

  /** Forgets a block found invalid. */
  public void deleteBlock(Hash hash) {
    deleteBlocks(List.of(hash));
  }

  /** Forgets non-canonical blocks (invalid, or pruned side branches) in one batch. */
  public void deleteBlocks(List<Hash> hashes) {
    WriteBatch batch = new WriteBatch();
    for (Hash hash : hashes) {
      batch.delete(key(HEADER, hash.toBytes())).delete(key(BLOCK, hash.toBytes()));
    }
    store.write(batch);
  }

  /** Applies a change of the canonical chain atomically. */
  public void commit(HeadChange change) {
    WriteBatch batch = new WriteBatch();
    for (Block block : change.removed()) {
      batch.delete(heightKey(block.height()));
      batch.delete(key(UNDO, block.hash().toBytes()));
    }
    for (Block block : change.added()) {
      batch.put(heightKey(block.height()), block.hash().toBytes());
      UndoData undo = change.undo().get(block.hash());
      if (undo == null) {
        throw new IllegalArgumentException("no undo data for added block " + block.hash());
      }
      batch.put(key(UNDO, block.hash().toBytes()), undo.encode());
    }
    change
        .accounts()
        .forEach(
            (address, account) -> {
              byte[] key = key(ACCOUNT, address.toBytes());
              if (account.isEmpty()) {
                batch.delete(key);
              } else {
                batch.put(key, account.encode());
              }
            });
    batch.put(HEAD, change.newHead().hash().toBytes());
    store.write(batch);
  }

  public Optional<Hash> head() {
    return store.get(HEAD).map(Hash::of);
  }

  public Optional<Block> block(Hash hash) {
    return store
        .get(key(BLOCK, hash.toBytes()))
        .map(bytes -> Block.decode(bytes, maxTransactionsPerBlock));
  }

  public Optional<BlockHeader> header(Hash hash) {
    return store.get(key(HEADER, hash.toBytes())).map(BlockHeader::decode);
  }

  public Optional<Hash> canonicalHash(long height) {
    return store.get(heightKey(height)).map(Hash::of);
  }

  public Optional<UndoData> undo(Hash hash) {
    return store.get(key(UNDO, hash.toBytes())).map(UndoData::decode);
  }

  /** Every stored account of the head state. */
  public Map<Address, Account> accounts() {
    Map<Address, Account> accounts = new HashMap<>();
    store.forEachWithPrefix(
        new byte[] {ACCOUNT},
        (key, value) ->
            accounts.put(
                Address.of(java.util.Arrays.copyOfRange(key, 1, key.length)),
                Account.decode(value)));
    return accounts;
  }

  /** Visits every stored header (canonical and side branches), in hash order. */
  public void forEachHeader(Consumer<BlockHeader> visitor) {
    store.forEachWithPrefix(
        new byte[] {HEADER}, (key, value) -> visitor.accept(BlockHeader.decode(value)));
  }
}
