package io.meshwork.chain.genesis;

import io.meshwork.chain.consensus.CompactTarget;
import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.model.Address;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that defines a network's first block.
 *
 * @param networkId a short name such as "meshwork-testnet"
 * @param timestampMillis the genesis timestamp
 * @param initialBalances balances of the accounts that exist at genesis
 * @param initialDifficultyBits the target of block 1 onwards until the retarget moves it
 * @param params the consensus rules
 */
public record GenesisConfig(
    String networkId,
    long timestampMillis,
    Map<Address, Long> initialBalances,
    int initialDifficultyBits,
    ConsensusParams params) {

  public GenesisConfig {
    if (networkId.isEmpty() || networkId.length() > 64) {
      throw new IllegalArgumentException("network id must be 1..64 characters");
    }
    initialBalances = Collections.unmodifiableSortedMap(new TreeMap<>(initialBalances));
    initialBalances
        .values()
        .forEach(
            balance -> {
              if (balance < 0) {
                throw new IllegalArgumentException("initial balance must not be negative");
              }
            });
    if (CompactTarget.decode(initialDifficultyBits)
        .map(target -> target.compareTo(params.powLimit()) > 0)
        .orElse(true)) {
      throw new IllegalArgumentException("initial difficulty not canonical or above the limit");
    }
  }

  /** A local testnet (see {@link ConsensusParams#testnet()}), starting at the limit. */
  public static GenesisConfig testnet(String networkId, Map<Address, Long> balances) {
    ConsensusParams params = ConsensusParams.testnet();
    return new GenesisConfig(
        networkId, 1_767_225_600_000L, balances, params.powLimitBits(), params);
  }

  /** Trivial proof of work for tests and benchmarks (see {@link ConsensusParams#forTests()}). */
  public static GenesisConfig forTests(Map<Address, Long> balances) {
    ConsensusParams params = ConsensusParams.forTests();
    return new GenesisConfig(
        "meshwork-test", 1_767_225_600_000L, balances, params.powLimitBits(), params);
  }
}
