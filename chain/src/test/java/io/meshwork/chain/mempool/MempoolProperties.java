package io.meshwork.chain.mempool;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.state.Account;
import io.meshwork.chain.state.AccountState;
import io.meshwork.chain.state.StateTransition;
import io.meshwork.chain.validation.BlockValidator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random streams of transactions (valid, gapped, replacements, overspends): the pool stays within
 * its bounds and whatever it selects for a block applies, in order, to the head state.
 */
class MempoolProperties {
  private static final Hash NET = Hash.sha256(new byte[] {1, 2});
  private static final List<SigningKey> KEYS = new ArrayList<>();

  static {
    for (int i = 0; i < 5; i++) {
      KEYS.add(SigningKey.fromSeed(Hash.sha256(new byte[] {(byte) i, 3}).toBytes()));
    }
  }

  @Property(tries = 40)
  void staysBoundedAndSelectsOnlyWhatApplies(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int count,
      @ForAll @IntRange(min = 1, max = 20) int maxTransactions) {
    Random random = new Random(seed);
    AccountState head = new AccountState();
    for (SigningKey key : KEYS) {
      head.put(key.address(), new Account(random.nextInt(2_000), random.nextInt(3)));
    }
    Mempool pool =
        new Mempool(
            new MempoolConfig(maxTransactions, 150L * maxTransactions, 4),
            new BlockValidator(ConsensusParams.forTests(), NET, Clock.systemUTC()));
    for (int i = 0; i < count; i++) {
      SigningKey from = KEYS.get(random.nextInt(KEYS.size()));
      long nonce = head.get(from.address()).nonce() + random.nextInt(6) - 1;
      Transaction tx =
          Transaction.sign(
              from,
              NET,
              KEYS.get(random.nextInt(KEYS.size())).address(),
              random.nextInt(800),
              1 + random.nextInt(20),
              Math.max(0, nonce));
      pool.add(tx, head);
      assertThat(pool.size()).isLessThanOrEqualTo(maxTransactions);
      assertThat(pool.bytes()).isLessThanOrEqualTo(150L * maxTransactions);
      assertThat(pool.ids()).hasSize(pool.size());
    }
    List<Transaction> selected = pool.selectForBlock(1_000, 1 << 20, head);
    StateTransition transition = new StateTransition(1);
    for (Transaction tx : selected) {
      try {
        transition.applyTransaction(head, tx);
      } catch (Exception e) {
        throw new AssertionError("selected transaction does not apply: " + tx, e);
      }
    }
    pool.onHeadChanged(head, List.of());
    for (Transaction tx : selected) {
      assertThat(pool.contains(tx.id())).as("confirmed transaction left in the pool").isFalse();
    }
  }
}
