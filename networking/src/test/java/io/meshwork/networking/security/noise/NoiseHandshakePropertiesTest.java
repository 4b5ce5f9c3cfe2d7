package io.meshwork.networking.security.noise;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever bytes a peer sends, the handshake either goes on or fails with a typed reason. */
class NoiseHandshakePropertiesTest {
  private static final PrivateKey KEY = PrivateKey.generate(KeyType.ED25519);

  @Property(tries = 200)
  void arbitraryFirstMessagesNeverEscapeAsUntypedErrors(@ForAll @Size(max = 300) byte[] message) {
    NoiseHandshake responder =
        new NoiseHandshake(NoiseRole.RESPONDER, KEY, Optional.empty(), List.of("/yamux/1.0.0"));
    assertThatCode(() -> receive(responder, message)).doesNotThrowAnyException();
  }

  @Property(tries = 200)
  void arbitrarySecondMessagesNeverEscapeAsUntypedErrors(@ForAll @Size(max = 300) byte[] message)
      throws NoiseHandshakeException {
    NoiseHandshake initiator =
        new NoiseHandshake(NoiseRole.INITIATOR, KEY, Optional.empty(), List.of("/yamux/1.0.0"));
    initiator.start();
    assertThatCode(() -> receive(initiator, message)).doesNotThrowAnyException();
  }

  private static void receive(NoiseHandshake handshake, byte[] message) {
    try {
      handshake.receive(message);
    } catch (NoiseHandshakeException expected) {
      // a typed, reasoned failure is the right outcome for garbage
    }
  }
}
