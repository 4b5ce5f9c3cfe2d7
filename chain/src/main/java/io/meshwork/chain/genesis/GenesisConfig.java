package io.meshwork.chain.genesis;

import io.meshwork.chain.consensus.CompactTarget;
import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.model.Address;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
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

  /**
   * Reads a config from properties: {@code network.id}, {@code timestamp.millis}, {@code
   * difficulty.bits} (hex), optional consensus keys ({@code pow.limit.bits} hex, {@code
   * target.spacing.millis}, {@code retarget.window}, {@code max.future.drift.millis}, {@code
   * max.block.bytes}, {@code max.transactions.per.block}, {@code min.fee}; defaults from {@link
   * ConsensusParams#testnet()}) and one {@code balance.<40 hex address>} per funded account.
   *
   * @throws IllegalArgumentException naming the missing or malformed key
   */
  public static GenesisConfig fromProperties(Properties properties) {
    ConsensusParams defaults = ConsensusParams.testnet();
    ConsensusParams params =
        new ConsensusParams(
            hexInt(properties, "pow.limit.bits", defaults.powLimitBits()),
            number(properties, "target.spacing.millis", defaults.targetSpacingMillis()),
            (int) number(properties, "retarget.window", defaults.retargetWindow()),
            number(properties, "max.future.drift.millis", defaults.maxFutureDriftMillis()),
            (int) number(properties, "max.block.bytes", defaults.maxBlockBytes()),
            (int)
                number(
                    properties, "max.transactions.per.block", defaults.maxTransactionsPerBlock()),
            number(properties, "min.fee", defaults.minFee()));
    Map<Address, Long> balances = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("balance.")) {
        try {
          balances.put(Address.fromHex(key.substring(8)), number(properties, key, 0));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("bad address in genesis key " + key, e);
        }
      }
    }
    String networkId = properties.getProperty("network.id");
    if (networkId == null) {
      throw new IllegalArgumentException("genesis config lacks network.id");
    }
    return new GenesisConfig(
        networkId,
        number(properties, "timestamp.millis", -1),
        balances,
        hexInt(properties, "difficulty.bits", params.powLimitBits()),
        params);
  }

  /** The inverse of {@link #fromProperties}. */
  public Properties toProperties() {
    Properties out = new Properties();
    out.setProperty("network.id", networkId);
    out.setProperty("timestamp.millis", Long.toString(timestampMillis));
    out.setProperty("difficulty.bits", Integer.toHexString(initialDifficultyBits));
    out.setProperty("pow.limit.bits", Integer.toHexString(params.powLimitBits()));
    out.setProperty("target.spacing.millis", Long.toString(params.targetSpacingMillis()));
    out.setProperty("retarget.window", Integer.toString(params.retargetWindow()));
    out.setProperty("max.future.drift.millis", Long.toString(params.maxFutureDriftMillis()));
    out.setProperty("max.block.bytes", Integer.toString(params.maxBlockBytes()));
    out.setProperty(
        "max.transactions.per.block", Integer.toString(params.maxTransactionsPerBlock()));
    out.setProperty("min.fee", Long.toString(params.minFee()));
    initialBalances.forEach(
        (address, balance) ->
            out.setProperty("balance." + address.toHex(), Long.toString(balance)));
    return out;
  }

  private static long number(Properties properties, String key, long fallback) {
    String value = properties.getProperty(key);
    if (value == null) {
      if (fallback < 0) {
        throw new IllegalArgumentException("genesis config lacks " + key);
      }
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("genesis key " + key + " is not a number: " + value, e);
    }
  }

  private static int hexInt(Properties properties, String key, int fallback) {
    String value = properties.getProperty(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseUnsignedInt(value.trim(), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("genesis key " + key + " is not hex: " + value, e);
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
