package io.meshwork.chain;

import io.meshwork.chain.consensus.DifficultyRetarget;
import io.meshwork.chain.consensus.Miner;
import io.meshwork.chain.genesis.Genesis;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.state.AccountState;
import io.meshwork.chain.state.StateTransition;
import io.meshwork.chain.validation.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Builds valid blocks on any parent, tracking the state after each, independently of the chain
 * under test (so it doubles as the replay oracle).
 */
final class BlockFactory {
  static final long BALANCE = 1_000_000;

  final GenesisConfig genesisConfig;
  final Block genesis;
  final List<SigningKey> keys = new ArrayList<>();
  final Map<Hash, Block> blocks = new HashMap<>();
  final Map<Hash, AccountState> states = new HashMap<>();
  private final StateTransition transition;
  private final DifficultyRetarget retarget;

  BlockFactory(int accounts) {
    Map<Address, Long> balances = new LinkedHashMap<>();
    for (int i = 0; i < accounts; i++) {
      SigningKey key = SigningKey.fromSeed(Hash.sha256(new byte[] {(byte) i, 7}).toBytes());
      keys.add(key);
      balances.put(key.address(), BALANCE);
    }
    genesisConfig = GenesisConfig.forTests(balances);
    genesis = Genesis.block(genesisConfig);
    blocks.put(genesis.hash(), genesis);
    states.put(genesis.hash(), Genesis.state(genesisConfig));
    transition = new StateTransition(genesisConfig.params().minFee());
    retarget = new DifficultyRetarget(genesisConfig.params());
  }

  ChainConfig config() {
    return ChainConfig.defaults(genesisConfig);
  }

  /** A clock well after every block the factory makes. */
  Clock clock() {
    return Clock.fixed(
        Instant.ofEpochMilli(genesisConfig.timestampMillis() + 1_000_000_000L), ZoneOffset.UTC);
  }

  long spacing() {
    return genesisConfig.params().targetSpacingMillis();
  }

  AccountState stateAt(Hash hash) {
    return states.get(hash);
  }

  Transaction transfer(SigningKey from, Address to, long amount, long fee, long nonce) {
    return Transaction.sign(from, genesis.hash(), to, amount, fee, nonce);
  }

  /** A block on {@code parent} with exactly these transactions, mined; may be invalid. */
  Block rawChild(Block parent, List<Transaction> txs, Hash stateRoot, long timestamp, int bits) {
    BlockHeader header =
        new BlockHeader(
            parent.hash(),
            parent.height() + 1,
            timestamp,
            Block.transactionsRoot(txs),
            stateRoot,
            bits,
            0);
    return new Block(Miner.mine(header, 0, Long.MAX_VALUE).orElseThrow(), txs);
  }

  int nextBits(Block parent) {
    return retarget.nextBits(
        parent.header(), h -> Optional.ofNullable(blocks.get(h)).map(Block::header));
  }

  /** A valid child with these transactions, {@code gap} milliseconds after its parent. */
  Block child(Block parent, List<Transaction> txs, long gap) {
    AccountState scratch = states.get(parent.hash()).copy();
    for (Transaction tx : txs) {
      try {
        transition.applyTransaction(scratch, tx);
      } catch (ValidationException e) {
        throw new IllegalArgumentException("factory asked for an invalid transaction", e);
      }
    }
    Block block =
        rawChild(
            parent, txs, scratch.root(), parent.header().timestampMillis() + gap, nextBits(parent));
    blocks.put(block.hash(), block);
    states.put(block.hash(), scratch);
    return block;
  }

  Block child(Block parent, List<Transaction> txs) {
    return child(parent, txs, spacing());
  }

  /** A valid child with {@code count} random transfers valid at the parent's state. */
  Block child(Block parent, int count, Random random, long gap) {
    AccountState scratch = states.get(parent.hash()).copy();
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SigningKey from = keys.get(random.nextInt(keys.size()));
      Address to = keys.get(random.nextInt(keys.size())).address();
      long nonce = scratch.get(from.address()).nonce();
      Transaction tx = transfer(from, to, 1 + random.nextInt(100), 1 + random.nextInt(5), nonce);
      try {
        transition.applyTransaction(scratch, tx);
        txs.add(tx);
      } catch (ValidationException e) {
        // balance ran out; skip
      }
    }
    return child(parent, txs, gap);
  }

  /**
   * {@code length} blocks on {@code parent}, each with {@code txs} random transfers; returns them.
   */
  List<Block> branch(Block parent, int length, int txs, Random random, long gap) {
    List<Block> out = new ArrayList<>();
    Block tip = parent;
    for (int i = 0; i < length; i++) {
      tip = child(tip, txs, random, gap);
      out.add(tip);
    }
    return out;
  }
}
