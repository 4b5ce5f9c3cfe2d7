package io.meshwork.chain.genesis;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.state.Account;
import io.meshwork.chain.state.AccountState;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds the genesis block and state from a config. */
public final class Genesis {
  private Genesis() {}

  public static AccountState state(GenesisConfig config) {
    AccountState state = new AccountState();
    config
        .initialBalances()
        .forEach((address, balance) -> state.put(address, new Account(balance, 0)));
    return state;
  }

  public static Block block(GenesisConfig config) {
    Hash networkTag =
        Hash.sha256(("meshwork/genesis/" + config.networkId()).getBytes(StandardCharsets.UTF_8));
    BlockHeader header =
        new BlockHeader(
            networkTag,
            0,
            config.timestampMillis(),
            Block.transactionsRoot(List.of()),
            state(config).root(),
            config.initialDifficultyBits(),
            0);
    return new Block(header, List.of());
  }
}
