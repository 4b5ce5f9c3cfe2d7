package io.meshwork.chain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.validation.ValidationException;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateTransitionTest {
  private static final Hash NET = Hash.ZERO;
  private final SigningKey alice = SigningKey.fromSeed(new byte[32]);
  private final SigningKey bob = SigningKey.fromSeed(Hash.sha256(new byte[] {2}).toBytes());
  private final StateTransition transition = new StateTransition(1);

  private AccountState start() {
    return AccountState.of(Map.of(alice.address(), new Account(100, 0)));
  }

  /** A block whose header carries the state root the transactions lead to. */
  private Block blockWith(AccountState from, Transaction... txs) throws ValidationException {
    AccountState scratch = from.copy();
    for (Transaction tx : txs) {
      transition.applyTransaction(scratch, tx);
    }
    List<Transaction> list = List.of(txs);
    return new Block(
        new BlockHeader(
            Hash.ZERO, 1, 1, Block.transactionsRoot(list), scratch.root(), 0x207fffff, 0),
        list);
  }

  @Test
  void appliesTransferAndUndoRestoresTheExactState() throws Exception {
    AccountState state = start();
    Hash before = state.root();
    Block block = blockWith(state, Transaction.sign(alice, NET, bob.address(), 30, 2, 0));
    UndoData undo = transition.apply(state, block);
    assertThat(state.get(alice.address())).isEqualTo(new Account(68, 1));
    assertThat(state.get(bob.address())).isEqualTo(new Account(30, 0));
    assertThat(state.root()).isEqualTo(block.header().stateRoot());

    transition.undo(state, UndoData.decode(undo.encode()));
    assertThat(state.root()).isEqualTo(before);
    assertThat(state.get(bob.address())).isEqualTo(Account.EMPTY);
    assertThat(state.size()).isEqualTo(1);
  }

  @Test
  void rejectsDoubleSpendAndLeavesStateUntouched() throws Exception {
    AccountState state = start();
    Transaction spend = Transaction.sign(alice, NET, bob.address(), 90, 1, 0);
    Transaction again = Transaction.sign(alice, NET, alice.address(), 90, 1, 1);
    Block valid = blockWith(state, spend);
    Block doubleSpend =
        new Block(
            new BlockHeader(
                Hash.ZERO,
                1,
                1,
                Block.transactionsRoot(List.of(spend, again)),
                valid.header().stateRoot(),
                0x207fffff,
                0),
            List.of(spend, again));
    Hash before = state.root();
    assertThatThrownBy(() -> transition.apply(state, doubleSpend))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.failure().reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE));
    assertThat(state.root()).isEqualTo(before);
  }

  @Test
  void rejectsReplayedNonce() throws Exception {
    AccountState state = start();
    Transaction tx = Transaction.sign(alice, NET, bob.address(), 1, 1, 0);
    transition.apply(state, blockWith(state, tx));
    assertThatThrownBy(() -> transition.applyTransaction(state, tx))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.failure().reason()).isEqualTo(Reason.BAD_NONCE));
  }

  @Test
  void rejectsWrongStateRoot() throws Exception {
    AccountState state = start();
    Transaction tx = Transaction.sign(alice, NET, bob.address(), 1, 1, 0);
    Block wrongRoot =
        new Block(
            new BlockHeader(
                Hash.ZERO, 1, 1, Block.transactionsRoot(List.of(tx)), Hash.ZERO, 0x207fffff, 0),
            List.of(tx));
    Hash before = state.root();
    assertThatThrownBy(() -> transition.apply(state, wrongRoot))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.failure().reason()).isEqualTo(Reason.BAD_STATE_ROOT));
    assertThat(state.root()).isEqualTo(before);
  }

  @Test
  void rejectsFeeBelowMinimumAndOverflow() {
    AccountState state =
        AccountState.of(
            Map.of(
                alice.address(),
                new Account(Long.MAX_VALUE, 0),
                bob.address(),
                new Account(Long.MAX_VALUE, 0)));
    assertThatThrownBy(
            () ->
                transition.applyTransaction(
                    state, Transaction.sign(alice, NET, bob.address(), 1, 0, 0)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.failure().reason()).isEqualTo(Reason.FEE_TOO_LOW));
    assertThatThrownBy(
            () ->
                transition.applyTransaction(
                    state, Transaction.sign(alice, NET, bob.address(), 10, 1, 0)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.failure().reason()).isEqualTo(Reason.AMOUNT_OVERFLOW));
  }

  @Test
  void stateRootIgnoresInsertionOrderAndEmptyAccounts() {
    Address a = alice.address();
    Address b = bob.address();
    AccountState one = new AccountState();
    one.put(a, new Account(1, 0));
    one.put(b, new Account(2, 3));
    AccountState two = new AccountState();
    two.put(b, new Account(2, 3));
    two.put(Address.fromPublicKey(new byte[32]), Account.EMPTY);
    two.put(a, new Account(1, 0));
    assertThat(one.root()).isEqualTo(two.root()).isEqualTo(StateRoot.of(one.accounts()));
    two.put(a, new Account(1, 1));
    assertThat(two.root()).isNotEqualTo(one.root());
  }
}
