package io.meshwork.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.genesis.Genesis;
import io.meshwork.chain.model.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevNetworkTest {
  @Test
  void devAccountKeysAreDeterministicAndFundedAtGenesis() {
    assertThat(DevNetwork.accountKeys()).hasSize(DevNetwork.ACCOUNTS);
    for (int i = 0; i < DevNetwork.ACCOUNTS; i++) {
      SigningKey key = DevNetwork.accountKey(i);
      assertThat(key.seed()).isEqualTo(DevNetwork.accountKey(i).seed());
      assertThat(DevNetwork.genesis().initialBalances())
          .containsEntry(key.address(), DevNetwork.BALANCE);
    }
    assertThat(DevNetwork.accountKey(0).address()).isNotEqualTo(DevNetwork.accountKey(1).address());
    assertThatThrownBy(() -> DevNetwork.accountKey(DevNetwork.ACCOUNTS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDevGenesisIsFixed() {
    assertThat(Genesis.block(DevNetwork.genesis()).hash())
        .isEqualTo(Genesis.block(Networks.require("dev")).hash());
    assertThat(DevNetwork.genesis().networkId()).isEqualTo("dev");
    assertThat(DevNetwork.params().targetSpacingMillis()).isEqualTo(2_000);
    assertThat(Networks.byName("mainnet")).isEmpty();
    assertThatThrownBy(() -> Networks.require("mainnet")).hasMessageContaining("known: dev");
  }

  @Test
  void accountKeyFilesRoundTripAndBadOnesAreExplained(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dev-3.key");
    AccountKeys.write(file, DevNetwork.accountKey(3));
    assertThat(AccountKeys.read(file).address()).isEqualTo(DevNetwork.accountKey(3).address());

    Files.writeString(dir.resolve("bad.key"), "not a key");
    assertThatThrownBy(() -> AccountKeys.read(dir.resolve("bad.key")))
        .hasMessageContaining("must hold 64 hex digits");
    assertThatThrownBy(() -> AccountKeys.read(dir.resolve("none.key")))
        .hasMessageContaining("cannot read key file");
  }
}
