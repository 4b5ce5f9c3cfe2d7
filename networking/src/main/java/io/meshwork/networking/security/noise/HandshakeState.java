package io.meshwork.networking.security.noise;

import io.meshwork.networking.security.noise.NoiseHandshakeException.Reason;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;

/**
 * Noise {@code HandshakeState} (§5.3) for the XX pattern (§7.5) only:
 *
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 *
 * Sans-IO: it turns payloads into handshake messages and back; framing and timing are the caller's.
 * After the third message, {@link #split()} gives the transport cipher states. Not thread-safe; one
 * instance per handshake. Any exception leaves the state unusable: abort.
 */
final class HandshakeState {
  static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";

  /** Noise §3: a Noise message is at most 65535 bytes. */
  static final int MAX_MESSAGE_LENGTH = 65535;

  private enum Token {
    E,
    S,
    EE,
    ES,
    SE
  }

  /** XX's message patterns; message i is written by the initiator when i is even. */
  private static final Token[][] XX = {
    {Token.E}, {Token.E, Token.EE, Token.S, Token.ES}, {Token.S, Token.SE}
  };

  private final NoiseRole role;
  private final SymmetricState symmetricState = new SymmetricState(PROTOCOL_NAME);
  private final X25519KeyPair localStatic;
  private final Supplier<X25519KeyPair> ephemeralGenerator;
  private X25519KeyPair localEphemeral;
  private byte[] remoteStatic;
  private byte[] remoteEphemeral;
  private int messageIndex;

  /**
   * Noise {@code Initialize()} for XX (no pre-messages).
   *
   * @param ephemeralGenerator Noise {@code GENERATE_KEYPAIR()}; fixed keys only in tests
   */
  HandshakeState(
      NoiseRole role,
      byte[] prologue,
      X25519KeyPair localStatic,
      Supplier<X25519KeyPair> ephemeralGenerator) {
    this.role = Objects.requireNonNull(role);
    this.localStatic = Objects.requireNonNull(localStatic);
    this.ephemeralGenerator = Objects.requireNonNull(ephemeralGenerator);
    symmetricState.mixHash(prologue);
  }

  /** A handshake with a random ephemeral key per message {@code e} token. */
  HandshakeState(NoiseRole role, byte[] prologue, X25519KeyPair localStatic) {
    this(role, prologue, localStatic, X25519KeyPair::generate);
  }

  NoiseRole role() {
    return role;
  }

  /** True when the next message is ours to write. */
  boolean isMyTurn() {
    return !isComplete() && (messageIndex % 2 == 0) == (role == NoiseRole.INITIATOR);
  }

  boolean isComplete() {
    return messageIndex == XX.length;
  }

  /** Which message (0, 1 or 2) comes next; 3 once complete. */
  int messageIndex() {
    return messageIndex;
  }

  /** The local static public key, the one the libp2p payload signs. */
  byte[] localStaticPublicKey() {
    return localStatic.publicKey();
  }

  /** The remote static public key, once its {@code s} token was read. */
  Optional<byte[]> remoteStaticPublicKey() {
    return Optional.ofNullable(remoteStatic).map(byte[]::clone);
  }

  byte[] handshakeHash() {
    return symmetricState.handshakeHash();
  }

  /** Noise {@code WriteMessage(payload, message_buffer)}. */
  byte[] writeMessage(byte[] payload) throws NoiseHandshakeException {
    if (!isMyTurn()) {
      throw new IllegalStateException("not our turn to write handshake message " + messageIndex);
    }
    byte[][] parts = new byte[XX[messageIndex].length + 1][];
    int part = 0;
    for (Token token : XX[messageIndex]) {
      switch (token) {
        case E -> {
          localEphemeral = ephemeralGenerator.get();
          byte[] publicKey = localEphemeral.publicKey();
          symmetricState.mixHash(publicKey);
          parts[part++] = publicKey;
        }
        case S -> parts[part++] = symmetricState.encryptAndHash(localStatic.publicKey());
        default -> mixDh(token);
      }
    }
    parts[part++] = symmetricState.encryptAndHash(payload);
    byte[] message = concat(parts, part);
    if (message.length > MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException(
          "handshake message of " + message.length + " bytes exceeds " + MAX_MESSAGE_LENGTH);
    }
    messageIndex++;
    return message;
  }

  /** Noise {@code ReadMessage(message, payload_buffer)}: returns the decrypted payload. */
  byte[] readMessage(byte[] message) throws NoiseHandshakeException {
    if (isComplete() || isMyTurn()) {
      throw new IllegalStateException("not expecting handshake message " + messageIndex);
    }
    if (message.length > MAX_MESSAGE_LENGTH) {
      throw new NoiseHandshakeException(
          Reason.MESSAGE_TOO_LARGE, "handshake message of " + message.length + " bytes");
    }
    int offset = 0;
    try {
      for (Token token : XX[messageIndex]) {
        switch (token) {
          case E -> {
            remoteEphemeral = take(message, offset, X25519KeyPair.KEY_LENGTH, "e");
            offset += X25519KeyPair.KEY_LENGTH;
            symmetricState.mixHash(remoteEphemeral);
          }
          case S -> {
            int length =
                X25519KeyPair.KEY_LENGTH + (symmetricState.hasKey() ? CipherState.TAG_LENGTH : 0);
            remoteStatic = symmetricState.decryptAndHash(take(message, offset, length, "s"));
            offset += length;
          }
          default -> mixDh(token);
        }
      }
      byte[] payload =
          symmetricState.decryptAndHash(Arrays.copyOfRange(message, offset, message.length));
      messageIndex++;
      return payload;
    } catch (AEADBadTagException e) {
      throw new NoiseHandshakeException(
          Reason.DECRYPTION_FAILED,
          "handshake message " + (messageIndex + 1) + " did not authenticate",
          e);
    }
  }

  /**
   * Noise {@code Split()}: {@code [send, receive]} from our point of view (§5.3: the first cipher
   * state is for the initiator's messages).
   */
  CipherState[] split() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
    CipherState[] states = symmetricState.split();
    return role == NoiseRole.INITIATOR ? states : new CipherState[] {states[1], states[0]};
  }

  /** §5.3: for es the initiator uses its e and the responder its s, and mirrored for se. */
  private void mixDh(Token token) throws NoiseHandshakeException {
    boolean initiator = role == NoiseRole.INITIATOR;
    X25519KeyPair local;
    byte[] remote;
    switch (token) {
      case EE -> {
        local = localEphemeral;
        remote = remoteEphemeral;
      }
      case ES -> {
        local = initiator ? localEphemeral : localStatic;
        remote = initiator ? remoteStatic : remoteEphemeral;
      }
      case SE -> {
        local = initiator ? localStatic : localEphemeral;
        remote = initiator ? remoteEphemeral : remoteStatic;
      }
      default -> throw new IllegalArgumentException("not a DH token: " + token);
    }
    try {
      symmetricState.mixKey(local.dh(remote));
    } catch (InvalidKeyException e) {
      throw new NoiseHandshakeException(
          Reason.INVALID_REMOTE_KEY, "remote X25519 key rejected in " + token, e);
    }
  }

  private byte[] take(byte[] message, int offset, int length, String field)
      throws NoiseHandshakeException {
    if (message.length - offset < length) {
      throw new NoiseHandshakeException(
          Reason.MALFORMED_MESSAGE,
          "handshake message "
              + (messageIndex + 1)
              + " too short for its "
              + field
              + " field ("
              + message.length
              + " bytes)");
    }
    return Arrays.copyOfRange(message, offset, offset + length);
  }

  private static byte[] concat(byte[][] parts, int count) {
    int length = 0;
    for (int i = 0; i < count; i++) {
      length += parts[i].length;
    }
    byte[] out = new byte[length];
    int offset = 0;
    for (int i = 0; i < count; i++) {
      System.arraycopy(parts[i], 0, out, offset, parts[i].length);
      offset += parts[i].length;
    }
    return out;
  }
}
