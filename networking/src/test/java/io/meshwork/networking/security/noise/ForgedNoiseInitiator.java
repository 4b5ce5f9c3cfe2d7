package io.meshwork.networking.security.noise;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.security.noise.pb.NoiseProto.NoiseHandshakePayload;

/**
 * A Noise XX initiator for end-to-end tests that lies about its identity: message 3 carries a real
 * identity key whose signature covers another, random Noise static key (libp2p noise spec, "The
 * libp2p Handshake Payload"), so a correct responder must reject it with {@link
 * NoiseHandshakeException.Reason#BAD_IDENTITY_SIGNATURE}. The caller does the u16 framing and the
 * socket I/O. Not thread-safe.
 */
public final class ForgedNoiseInitiator {
  private final HandshakeState state =
      new HandshakeState(NoiseRole.INITIATOR, new byte[0], X25519KeyPair.generate());
  private final PrivateKey identity;

  public ForgedNoiseInitiator(PrivateKey identity) {
    this.identity = identity;
  }

  /** Message 1 ({@code -> e}, empty payload), unframed. */
  public byte[] firstMessage() throws NoiseHandshakeException {
    return state.writeMessage(new byte[0]);
  }

  /**
   * Reads the responder's message 2 and returns message 3 with the forged signature, unframed.
   *
   * @throws NoiseHandshakeException if message 2 itself is bad
   */
  public byte[] forgedThirdMessage(byte[] secondMessage) throws NoiseHandshakeException {
    state.readMessage(secondMessage);
    byte[] someOtherStaticKey = X25519KeyPair.generate().publicKey();
    byte[] signed = concat(NoiseHandshake.STATIC_KEY_SIGNATURE_PREFIX, someOtherStaticKey);
    byte[] payload =
        NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
            .setIdentitySig(ByteString.copyFrom(identity.sign(signed)))
            .build()
            .toByteArray();
    return state.writeMessage(payload);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
