package io.meshwork.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisJsonTest {
  private static final String ADDRESS = "00112233445566778899aabbccddeeff00112233";

  @Test
  void readsACompleteGenesis() {
    GenesisConfig config =
        GenesisJson.parse(
            """
            {"network": "my-net", "timestampMillis": 1767225600000,
             "balances": {"%s": 500},
             "difficultyBits": "1f00ffff",
             "consensus": {"targetSpacingMillis": 3000, "minFee": 2, "retargetWindow": 5}}
            """
                .formatted(ADDRESS));

    assertThat(config.networkId()).isEqualTo("my-net");
    assertThat(config.timestampMillis()).isEqualTo(1_767_225_600_000L);
    assertThat(config.initialBalances()).containsEntry(Address.fromHex(ADDRESS), 500L);
    assertThat(config.initialDifficultyBits()).isEqualTo(0x1f00ffff);
    assertThat(config.params().targetSpacingMillis()).isEqualTo(3000);
    assertThat(config.params().minFee()).isEqualTo(2);
    assertThat(config.params().retargetWindow()).isEqualTo(5);
    assertThat(config.params().maxBlockBytes()).isEqualTo(DevNetwork.params().maxBlockBytes());
  }

  @Test
  void leftOutConsensusAndDifficultyTakeTheDevNetworksValues() {
    GenesisConfig config =
        GenesisJson.parse("{\"network\":\"n\",\"timestampMillis\":1,\"balances\":{}}");

    assertThat(config.params()).isEqualTo(DevNetwork.params());
    assertThat(config.initialDifficultyBits()).isEqualTo(DevNetwork.params().powLimitBits());
    assertThat(config.initialBalances()).isEmpty();
  }

  @Test
  void theDevGenesisWrittenAsJsonReadsBackEqual() {
    GenesisConfig dev = DevNetwork.genesis();
    StringBuilder balances = new StringBuilder();
    dev.initialBalances()
        .forEach(
            (a, b) ->
                balances
                    .append(balances.isEmpty() ? "" : ",")
                    .append("\"" + a.toHex() + "\":" + b));
    String json =
        "{\"network\":\"dev\",\"timestampMillis\":"
            + dev.timestampMillis()
            + ",\"balances\":{"
            + balances
            + "}}";

    assertThat(GenesisJson.parse(json)).isEqualTo(dev);
  }

  @Test
  void eachBadFieldIsNamed() {
    String base = "\"timestampMillis\":1,\"balances\":{}";
    assertError("{" + base + "}", "field network is required");
    assertError("{\"network\":5," + base + "}", "field network is required");
    assertError("{\"network\":\"\"," + base + "}", "field network");
    assertError("{\"network\":\"n\",\"balances\":{}}", "field timestampMillis is required");
    assertError(
        "{\"network\":\"n\",\"timestampMillis\":\"soon\",\"balances\":{}}",
        "field timestampMillis must be");
    assertError(
        "{\"network\":\"n\",\"timestampMillis\":-1,\"balances\":{}}",
        "field timestampMillis must be");
    assertError("{\"network\":\"n\",\"timestampMillis\":1}", "field balances is required");
    assertError(
        "{\"network\":\"n\",\"timestampMillis\":1,\"balances\":{\"xyz\":1}}",
        "field balances.xyz: not an address");
    assertError(
        "{\"network\":\"n\",\"timestampMillis\":1,\"balances\":{\"" + ADDRESS + "\":-5}}",
        "field balances." + ADDRESS + " must be");
    assertError(
        "{\"network\":\"n\",\"timestampMillis\":1,\"balances\":{\"" + ADDRESS + "\":1.5}}",
        "field balances." + ADDRESS + " must be");
    assertError("{\"network\":\"n\"," + base + ",\"difficultyBits\":7}", "field difficultyBits");
    assertError(
        "{\"network\":\"n\"," + base + ",\"difficultyBits\":\"zz\"}", "field difficultyBits");
    assertError(
        "{\"network\":\"n\"," + base + ",\"difficultyBits\":\"2100ffff\"}", "field difficultyBits");
    assertError("{\"network\":\"n\"," + base + ",\"consensus\":[]}", "field consensus must be");
    assertError(
        "{\"network\":\"n\"," + base + ",\"consensus\":{\"minFee\":\"x\"}}",
        "field consensus.minFee");
    assertError(
        "{\"network\":\"n\"," + base + ",\"consensus\":{\"targetSpacingMillis\":0}}",
        "field consensus");
    assertError(
        "{\"network\":\"n\"," + base + ",\"consensus\":{\"blockTime\":1}}",
        "unknown field consensus.blockTime");
    assertError("{\"network\":\"n\"," + base + ",\"netwrok\":\"x\"}", "unknown field netwrok");
    assertError("[1]", "must be a JSON object");
    assertError("{not json", "not JSON");
  }

  @Test
  void aFileErrorNamesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("genesis.json");
    Files.writeString(file, "{\"network\":\"n\",\"balances\":{}}");
    assertThatThrownBy(() -> GenesisJson.read(file))
        .hasMessageStartingWith("genesis file " + file + ": field timestampMillis");
    assertThatThrownBy(() -> GenesisJson.read(dir.resolve("missing.json")))
        .hasMessageContaining("cannot read genesis file");
  }

  private static void assertError(String json, String expected) {
    assertThatThrownBy(() -> GenesisJson.parse(json))
        .as(json)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }
}
