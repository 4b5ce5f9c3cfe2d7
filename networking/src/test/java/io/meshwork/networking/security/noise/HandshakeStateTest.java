package io.meshwork.networking.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.networking.security.noise.NoiseHandshakeException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class HandshakeStateTest {
  private static final HexFormat HEX = HexFormat.of();

  // The Noise_XX_25519_ChaChaPoly_SHA256 vector of the cacophony test-vector file
  // (haskell-cryptography/cacophony vectors/cacophony.txt): messages alternate initiator,
  // responder, ...; the first three are the handshake, the rest transport messages.
  private static final String PROLOGUE = "4a6f686e2047616c74";
  private static final String INIT_STATIC =
      "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1";
  private static final String INIT_EPHEMERAL =
      "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a";
  private static final String RESP_STATIC =
      "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893";
  private static final String RESP_EPHEMERAL =
      "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b";
  private static final String HANDSHAKE_HASH =
      "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e";
  private static final String[][] MESSAGES = {
    {
      "4c756477696720766f6e204d69736573",
      "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"
    },
    {
      "4d757272617920526f746862617264",
      "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b6"
          + "5285e08d6b68aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c"
          + "412f8a0db50f8814c7194e83f23dbd8d162c9326ad"
    },
    {
      "462e20412e20486179656b",
      "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be08"
          + "65b57f58c9fea0d4ec82a286427402f113e4b6ae769a1d95941d49b25030"
    },
    {"4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"},
    {
      "4a65616e2d426170746973746520536179",
      "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"
    },
    {
      "457567656e2042f6686d20766f6e2042617765726b",
      "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"
    },
  };

  @Test
  void reproducesTheCacophonyVectorForXx() throws Exception {
    HandshakeState initiator = vectorState(NoiseRole.INITIATOR, INIT_STATIC, INIT_EPHEMERAL);
    HandshakeState responder = vectorState(NoiseRole.RESPONDER, RESP_STATIC, RESP_EPHEMERAL);

    for (int i = 0; i < 3; i++) {
      HandshakeState writer = i % 2 == 0 ? initiator : responder;
      HandshakeState reader = i % 2 == 0 ? responder : initiator;
      byte[] message = writer.writeMessage(bytes(MESSAGES[i][0]));
      assertThat(HEX.formatHex(message)).as("message %d", i).isEqualTo(MESSAGES[i][1]);
      assertThat(reader.readMessage(message)).isEqualTo(bytes(MESSAGES[i][0]));
    }
    assertThat(initiator.isComplete()).isTrue();
    assertThat(responder.isComplete()).isTrue();
    assertThat(HEX.formatHex(initiator.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
    assertThat(HEX.formatHex(responder.handshakeHash())).isEqualTo(HANDSHAKE_HASH);

    CipherState[] initiatorCiphers = initiator.split();
    CipherState[] responderCiphers = responder.split();
    for (int i = 3; i < MESSAGES.length; i++) {
      boolean fromInitiator = i % 2 == 0;
      CipherState send = fromInitiator ? initiatorCiphers[0] : responderCiphers[0];
      CipherState receive = fromInitiator ? responderCiphers[1] : initiatorCiphers[1];
      byte[] plaintext = bytes(MESSAGES[i][0]);
      ByteBuffer ciphertext = ByteBuffer.allocate(plaintext.length + CipherState.TAG_LENGTH);
      send.encrypt(ByteBuffer.wrap(plaintext), ciphertext);
      assertThat(HEX.formatHex(ciphertext.array())).as("message %d", i).isEqualTo(MESSAGES[i][1]);
      ByteBuffer decrypted = ByteBuffer.allocate(plaintext.length);
      receive.decrypt(ciphertext.flip(), decrypted);
      assertThat(decrypted.array()).isEqualTo(plaintext);
    }
  }

  @Test
  void randomKeysDeriveMatchingTransportKeys() throws Exception {
    HandshakeState initiator = randomState(NoiseRole.INITIATOR);
    HandshakeState responder = randomState(NoiseRole.RESPONDER);
    responder.readMessage(initiator.writeMessage(new byte[0]));
    initiator.readMessage(responder.writeMessage(new byte[] {1, 2, 3}));
    responder.readMessage(initiator.writeMessage(new byte[] {4, 5}));

    assertThat(initiator.remoteStaticPublicKey()).hasValue(responder.localStaticPublicKey());
    assertThat(responder.remoteStaticPublicKey()).hasValue(initiator.localStaticPublicKey());
    CipherState[] i = initiator.split();
    CipherState[] r = responder.split();
    byte[] hello = "hello".getBytes();
    assertThat(r[1].decryptWithAd(new byte[0], i[0].encryptWithAd(new byte[0], hello)))
        .isEqualTo(hello);
    assertThat(i[1].decryptWithAd(new byte[0], r[0].encryptWithAd(new byte[0], hello)))
        .isEqualTo(hello);
  }

  @Test
  void rejectsATamperedSecondMessage() throws Exception {
    HandshakeState initiator = randomState(NoiseRole.INITIATOR);
    HandshakeState responder = randomState(NoiseRole.RESPONDER);
    responder.readMessage(initiator.writeMessage(new byte[0]));
    byte[] message2 = responder.writeMessage(new byte[] {1, 2, 3});
    message2[40] ^= 1; // inside the encrypted static key

    assertThatThrownBy(() -> initiator.readMessage(message2))
        .isInstanceOfSatisfying(
            NoiseHandshakeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPTION_FAILED));
  }

  @Test
  void rejectsATruncatedSecondMessage() throws Exception {
    HandshakeState initiator = randomState(NoiseRole.INITIATOR);
    HandshakeState responder = randomState(NoiseRole.RESPONDER);
    responder.readMessage(initiator.writeMessage(new byte[0]));
    byte[] message2 = responder.writeMessage(new byte[0]);
    byte[] truncated = Arrays.copyOf(message2, 50);

    assertThatThrownBy(() -> initiator.readMessage(truncated))
        .isInstanceOfSatisfying(
            NoiseHandshakeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_MESSAGE));
  }

  @Test
  void rejectsASmallOrderEphemeralKey() {
    HandshakeState responder = randomState(NoiseRole.RESPONDER);
    assertThatThrownBy(
            () -> {
              responder.readMessage(new byte[32]); // u = 0 is of small order
              responder.writeMessage(new byte[0]); // ee fails
            })
        .isInstanceOfSatisfying(
            NoiseHandshakeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REMOTE_KEY));
  }

  @Test
  void transportDecryptionRejectsAFlippedBitAndKeepsTheNonce() throws Exception {
    CipherState send = new CipherState();
    CipherState receive = new CipherState();
    byte[] key = new byte[32];
    key[0] = 7;
    send.initializeKey(key);
    receive.initializeKey(key);
    ByteBuffer ciphertext = ByteBuffer.allocate(10 + CipherState.TAG_LENGTH);
    send.encrypt(ByteBuffer.wrap(new byte[10]), ciphertext);
    ciphertext.array()[3] ^= 0x10;

    assertThatThrownBy(() -> receive.decrypt(ciphertext.flip(), ByteBuffer.allocate(10)))
        .isInstanceOf(AEADBadTagException.class);
    assertThat(receive.nonce()).isZero();
  }

  private static HandshakeState vectorState(NoiseRole role, String staticKey, String ephemeral) {
    X25519KeyPair e = X25519KeyPair.fromPrivateKey(bytes(ephemeral));
    return new HandshakeState(
        role, bytes(PROLOGUE), X25519KeyPair.fromPrivateKey(bytes(staticKey)), () -> e);
  }

  private static HandshakeState randomState(NoiseRole role) {
    return new HandshakeState(role, new byte[0], X25519KeyPair.generate());
  }

  private static byte[] bytes(String hex) {
    return HEX.parseHex(hex);
  }
}
