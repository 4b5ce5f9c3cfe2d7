package io.meshwork.chain.state;

import io.meshwork.chain.model.Address;

/** Read-only access to accounts (the mempool reads the head state through this). */
@FunctionalInterface
public interface AccountView {
  /** The account, or {@link Account#EMPTY}. */
  Account get(Address address);
}
