package io.meshwork.chain.genesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.SigningKey;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class GenesisConfigTest {
  private final Address alice = SigningKey.fromSeed(new byte[32]).address();

  @Test
  void roundTripsThroughPropertiesToTheSameGenesisBlock() {
    GenesisConfig config = GenesisConfig.testnet("meshwork-local", Map.of(alice, 1_000L));
    GenesisConfig parsed = GenesisConfig.fromProperties(config.toProperties());
    assertThat(parsed).isEqualTo(config);
    assertThat(Genesis.block(parsed).hash()).isEqualTo(Genesis.block(config).hash());
  }

  @Test
  void differentNetworksHaveDifferentGenesisBlocks() {
    assertThat(Genesis.block(GenesisConfig.testnet("a", Map.of(alice, 1L))).hash())
        .isNotEqualTo(Genesis.block(GenesisConfig.testnet("b", Map.of(alice, 1L))).hash());
  }

  @Test
  void namesTheMissingOrMalformedKey() {
    Properties properties = new Properties();
    properties.setProperty("timestamp.millis", "1");
    assertThatThrownBy(() -> GenesisConfig.fromProperties(properties))
        .hasMessageContaining("network.id");
    properties.setProperty("network.id", "x");
    properties.setProperty("balance.zz", "5");
    assertThatThrownBy(() -> GenesisConfig.fromProperties(properties))
        .hasMessageContaining("balance.zz");
  }

  @Test
  void genesisStateRootCommitsToTheInitialBalances() {
    GenesisConfig config = GenesisConfig.forTests(Map.of(alice, 5L));
    assertThat(Genesis.block(config).header().stateRoot()).isEqualTo(Genesis.state(config).root());
    assertThat(Genesis.block(config).header().stateRoot())
        .isNotEqualTo(
            Genesis.block(GenesisConfig.forTests(Map.of(alice, 6L))).header().stateRoot());
  }
}
