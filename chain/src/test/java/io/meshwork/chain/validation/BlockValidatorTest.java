package io.meshwork.chain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class BlockValidatorTest {
  private final Hash network = Hash.sha256(new byte[] {4});
  private final BlockValidator validator =
      new BlockValidator(ConsensusParams.forTests(), network, Clock.systemUTC());
  private final SigningKey key = SigningKey.fromSeed(new byte[32]);

  @Test
  void remembersVerifiedSignaturesButNeverBadOnes() {
    Transaction good = Transaction.sign(key, network, key.address(), 1, 1, 0);
    byte[] signature = good.signature();
    signature[63] ^= 0x10;
    Transaction bad = Transaction.of(good.senderKey(), key.address(), 1, 1, 0, signature);

    assertThat(validator.checkTransactionAlone(bad))
        .map(ValidationFailure::reason)
        .contains(Reason.BAD_SIGNATURE);
    assertThat(validator.verifiedSignatureCount()).isZero();
    assertThat(validator.checkTransactionAlone(good)).isEmpty();
    assertThat(validator.verifiedSignatureCount()).isEqualTo(1);
    assertThat(validator.checkTransactionAlone(good)).isEmpty();
    assertThat(validator.checkTransactionAlone(bad))
        .map(ValidationFailure::reason)
        .contains(Reason.BAD_SIGNATURE);
  }

  @Test
  void aSignatureForAnotherNetworkIsBad() {
    Transaction elsewhere = Transaction.sign(key, Hash.ZERO, key.address(), 1, 1, 0);
    assertThat(validator.checkTransactionAlone(elsewhere))
        .map(ValidationFailure::reason)
        .contains(Reason.BAD_SIGNATURE);
  }
}
