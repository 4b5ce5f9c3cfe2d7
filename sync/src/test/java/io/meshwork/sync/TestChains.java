package io.meshwork.sync;

import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Genesis configs with funded, deterministic keys for the sync tests. */
final class TestChains {
  static final long BALANCE = 1_000_000_000L;
  static final List<SigningKey> KEYS =
      IntStream.range(0, 32)
          .mapToObj(
              i ->
                  SigningKey.fromSeed(
                      Hash.sha256(("sync test key " + i).getBytes(StandardCharsets.UTF_8))
                          .toBytes()))
          .toList();

  private TestChains() {}

  /** A network whose proof of work takes about two hashes a block. */
  static GenesisConfig genesis(String networkId) {
    Map<Address, Long> balances = new LinkedHashMap<>();
    KEYS.forEach(k -> balances.put(k.address(), BALANCE));
    ConsensusParams params = ConsensusParams.forTests();
    return new GenesisConfig(
        networkId, 1_700_000_000_000L, balances, params.powLimitBits(), params);
  }

  static Transaction transfer(Hash genesisHash, int from, int to, long amount, long nonce) {
    return Transaction.sign(KEYS.get(from), genesisHash, KEYS.get(to).address(), amount, 1, nonce);
  }
}
