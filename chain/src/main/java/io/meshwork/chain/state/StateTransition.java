package io.meshwork.chain.state;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.validation.ValidationException;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies blocks to an {@link AccountState} and undoes them. A transfer debits amount + fee from
 * the sender, bumps its nonce and credits amount to the recipient; fees are burned (the header has
 * no beneficiary). Either a whole block applies, its state root matching the header, or the state
 * is left exactly as it was. Stateless; thread-safe as long as each state has one user.
 */
public final class StateTransition {
  private final long minFee;

  public StateTransition(long minFee) {
    this.minFee = minFee;
  }

  /**
   * Applies {@code block} and checks the resulting root against its header.
   *
   * @return what to restore to undo the block
   * @throws ValidationException with BAD_NONCE, INSUFFICIENT_BALANCE, FEE_TOO_LOW, AMOUNT_OVERFLOW
   *     or BAD_STATE_ROOT; the state is then unchanged
   */
  public UndoData apply(AccountState state, Block block) throws ValidationException {
    TreeMap<Address, Account> previous = new TreeMap<>();
    try {
      for (Transaction tx : block.transactions()) {
        applyTransaction(state, tx, previous);
      }
      if (!state.root().equals(block.header().stateRoot())) {
        throw new ValidationException(
            Reason.BAD_STATE_ROOT,
            "state root after block " + block.hash() + " does not match its header");
      }
    } catch (ValidationException e) {
      restore(state, previous);
      throw e;
    }
    return new UndoData(previous);
  }

  /** Applies transactions without a root check, for block assembly. Same failures as apply. */
  public UndoData applyTransaction(AccountState state, Transaction tx) throws ValidationException {
    TreeMap<Address, Account> previous = new TreeMap<>();
    applyTransaction(state, tx, previous);
    return new UndoData(previous);
  }

  private void applyTransaction(AccountState state, Transaction tx, Map<Address, Account> previous)
      throws ValidationException {
    Account sender = state.get(tx.from());
    if (tx.nonce() != sender.nonce()) {
      throw new ValidationException(
          Reason.BAD_NONCE,
          "transaction "
              + tx.id()
              + " nonce "
              + tx.nonce()
              + ", account expects "
              + sender.nonce());
    }
    if (tx.fee() < minFee) {
      throw new ValidationException(
          Reason.FEE_TOO_LOW, "fee " + tx.fee() + " below minimum " + minFee);
    }
    long cost;
    try {
      cost = Math.addExact(tx.amount(), tx.fee());
    } catch (ArithmeticException e) {
      throw new ValidationException(Reason.AMOUNT_OVERFLOW, "amount + fee overflows");
    }
    if (sender.balance() < cost) {
      throw new ValidationException(
          Reason.INSUFFICIENT_BALANCE,
          tx.from() + " has " + sender.balance() + ", transaction " + tx.id() + " needs " + cost);
    }
    Account recipientBefore = state.get(tx.to());
    long credited;
    try {
      credited =
          tx.to().equals(tx.from())
              ? sender.balance() - tx.fee()
              : Math.addExact(recipientBefore.balance(), tx.amount());
    } catch (ArithmeticException e) {
      throw new ValidationException(Reason.AMOUNT_OVERFLOW, "recipient balance overflows");
    }
    previous.putIfAbsent(tx.from(), sender);
    previous.putIfAbsent(tx.to(), recipientBefore);
    if (tx.to().equals(tx.from())) {
      state.put(tx.from(), new Account(credited, sender.nonce() + 1));
    } else {
      state.put(tx.from(), new Account(sender.balance() - cost, sender.nonce() + 1));
      state.put(tx.to(), new Account(credited, recipientBefore.nonce()));
    }
  }

  /** Restores the accounts a block overwrote. */
  public void undo(AccountState state, UndoData undo) {
    restore(state, undo.previous());
  }

  private static void restore(AccountState state, Map<Address, Account> previous) {
    previous.forEach(state::put);
  }
}
