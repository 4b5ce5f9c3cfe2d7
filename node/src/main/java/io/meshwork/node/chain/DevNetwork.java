package io.meshwork.node.chain;

import io.meshwork.chain.consensus.CompactTarget;
import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The built-in {@code dev} network: a fixed genesis, blocks every 2 s, and {@link #ACCOUNTS} funded
 * accounts whose keys everyone knows ({@link #accountKey}), so a local node is usable at once.
 * Never use these keys for anything of value.
 *
 * <p>Difficulty follows {@link ConsensusParams#testnet()}: the easiest target (and the first) takes
 * about 2,000 hashes, and miners mine at a fixed hash budget (see {@code MiningConfig}), so the
 * retarget raises the difficulty within a few dozen blocks until the budget finds a block every 2
 * s.
 */
public final class DevNetwork {
  public static final String NAME = "dev";

  /** How many funded dev accounts the genesis has. */
  public static final int ACCOUNTS = 10;

  /** Balance of each dev account at genesis. */
  public static final long BALANCE = 1_000_000_000L;

  /** 2026-01-01T00:00:00Z. */
  public static final long GENESIS_TIMESTAMP_MILLIS = 1_767_225_600_000L;

  private static final GenesisConfig GENESIS = build();

  private DevNetwork() {}

  /** Consensus rules of the dev network. */
  public static ConsensusParams params() {
    return new ConsensusParams(
        CompactTarget.encode(CompactTarget.forExpectedHashes(2_000)),
        2_000,
        10,
        15_000,
        1 << 20,
        5_000,
        1);
  }

  public static GenesisConfig genesis() {
    return GENESIS;
  }

  /** Dev account {@code i}: Ed25519 seed SHA-256("meshwork dev account " + i). */
  public static SigningKey accountKey(int i) {
    if (i < 0 || i >= ACCOUNTS) {
      throw new IllegalArgumentException("dev accounts are 0.." + (ACCOUNTS - 1) + ", not " + i);
    }
    byte[] seed =
        Hash.sha256(("meshwork dev account " + i).getBytes(StandardCharsets.UTF_8)).toBytes();
    return SigningKey.fromSeed(seed);
  }

  /** Keys of all dev accounts, in order. */
  public static List<SigningKey> accountKeys() {
    return IntStream.range(0, ACCOUNTS).mapToObj(DevNetwork::accountKey).toList();
  }

  private static GenesisConfig build() {
    ConsensusParams params = params();
    Map<Address, Long> balances = new LinkedHashMap<>();
    for (SigningKey key : accountKeys()) {
      balances.put(key.address(), BALANCE);
    }
    return new GenesisConfig(
        NAME, GENESIS_TIMESTAMP_MILLIS, balances, params.powLimitBits(), params);
  }
}
