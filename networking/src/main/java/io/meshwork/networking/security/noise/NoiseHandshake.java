package io.meshwork.networking.security.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.crypto.KeyFormatException;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.crypto.PublicKey;
import io.meshwork.networking.security.noise.NoiseHandshakeException.Reason;
import io.meshwork.networking.security.noise.pb.NoiseProto.NoiseExtensions;
import io.meshwork.networking.security.noise.pb.NoiseProto.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The libp2p Noise handshake, sans-IO: XX messages carrying the signed {@code
 * NoiseHandshakePayload} (libp2p noise spec, "The libp2p Handshake Payload").
 *
 * <p>Messages 2 (responder) and 3 (initiator) carry the sender's identity key, its signature over
 * {@code "noise-libp2p-static-key:" || Noise static public key}, and the sender's stream muxers;
 * message 1 carries an empty payload. Each handshake uses a fresh X25519 static key that is never
 * stored. The caller frames the messages (u16 length prefix) and enforces a timeout.
 *
 * <p>Usage: the initiator sends {@link #start()}; each side passes every message it receives to
 * {@link #receive(byte[])} and sends what it returns; once {@link #isComplete()}, {@link
 * #session()} tells who the peer is. Not thread-safe; any exception aborts the handshake.
 */
public final class NoiseHandshake {
  /**
   * Our bound on a handshake message: far above what the payload needs (an RSA-4096 identity with
   * its signature is about 1.2 KiB) and far below the 65535 bytes a frame can claim.
   */
  public static final int MAX_HANDSHAKE_MESSAGE_LENGTH = 16 * 1024;

  static final byte[] STATIC_KEY_SIGNATURE_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.UTF_8);

  private final NoiseRole role;
  private final PrivateKey identityKey;
  private final Optional<PeerId> expectedRemotePeer;
  private final List<String> localMuxers;
  private final HandshakeState state;
  private SecureSession session;

  /**
   * @param expectedRemotePeer the peer we dialled (initiator); a different remote identity fails
   *     the handshake with {@link Reason#PEER_ID_MISMATCH}
   * @param localMuxers stream muxer protocol ids we support, in preference order; empty to not take
   *     part in early muxer negotiation
   */
  public NoiseHandshake(
      NoiseRole role,
      PrivateKey identityKey,
      Optional<PeerId> expectedRemotePeer,
      List<String> localMuxers) {
    this(
        role,
        identityKey,
        expectedRemotePeer,
        localMuxers,
        new HandshakeState(role, new byte[0], X25519KeyPair.generate()));
  }

  NoiseHandshake(
      NoiseRole role,
      PrivateKey identityKey,
      Optional<PeerId> expectedRemotePeer,
      List<String> localMuxers,
      HandshakeState state) {
    this.role = Objects.requireNonNull(role);
    this.identityKey = Objects.requireNonNull(identityKey);
    this.expectedRemotePeer = Objects.requireNonNull(expectedRemotePeer);
    this.localMuxers = List.copyOf(localMuxers);
    this.state = state;
  }

  public NoiseRole role() {
    return role;
  }

  /** The initiator's first message ({@code -> e}, empty payload). */
  public byte[] start() throws NoiseHandshakeException {
    if (role != NoiseRole.INITIATOR || state.messageIndex() != 0) {
      throw new IllegalStateException("only the initiator starts, once");
    }
    return state.writeMessage(new byte[0]);
  }

  /**
   * Processes one received handshake message.
   *
   * @return the message to send back, if any (message 2 for the responder, 3 for the initiator)
   * @throws NoiseHandshakeException if the message is malformed, does not authenticate, or the
   *     remote identity or muxers are unacceptable
   */
  public Optional<byte[]> receive(byte[] message) throws NoiseHandshakeException {
    if (state.isComplete() || state.isMyTurn()) {
      throw new NoiseHandshakeException(
          Reason.MALFORMED_MESSAGE, "unexpected handshake message " + (state.messageIndex() + 1));
    }
    if (message.length > MAX_HANDSHAKE_MESSAGE_LENGTH) {
      throw new NoiseHandshakeException(
          Reason.MESSAGE_TOO_LARGE,
          "handshake message of "
              + message.length
              + " bytes exceeds "
              + MAX_HANDSHAKE_MESSAGE_LENGTH);
    }
    byte[] payload = state.readMessage(message);
    switch (state.messageIndex()) {
      case 1 -> {
        // Message 1's payload is unauthenticated and carries nothing in libp2p: ignore it.
        return Optional.of(state.writeMessage(localPayload()));
      }
      case 2 -> {
        RemoteIdentity remote = verify(payload);
        Optional<String> muxer = EarlyMuxerNegotiation.select(localMuxers, remote.muxers());
        byte[] reply = state.writeMessage(localPayload());
        session = new SecureSession(remote.peerId(), remote.publicKey(), muxer);
        return Optional.of(reply);
      }
      default -> {
        RemoteIdentity remote = verify(payload);
        Optional<String> muxer = EarlyMuxerNegotiation.select(remote.muxers(), localMuxers);
        session = new SecureSession(remote.peerId(), remote.publicKey(), muxer);
        return Optional.empty();
      }
    }
  }

  public boolean isComplete() {
    return session != null;
  }

  /** Who the remote peer is; only once {@link #isComplete()}. */
  public SecureSession session() {
    if (session == null) {
      throw new IllegalStateException("handshake not complete");
    }
    return session;
  }

  /** The Noise handshake hash {@code h}, a channel binding once complete. */
  public byte[] handshakeHash() {
    return state.handshakeHash();
  }

  /** The transport cipher states {@code [send, receive]}; once, after completion. */
  CipherState[] split() {
    if (session == null) {
      throw new IllegalStateException("handshake not complete");
    }
    return state.split();
  }

  private byte[] localPayload() {
    byte[] staticKey = state.localStaticPublicKey();
    NoiseHandshakePayload.Builder payload =
        NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(identityKey.publicKey().marshal()))
            .setIdentitySig(ByteString.copyFrom(identityKey.sign(signedBytes(staticKey))));
    if (!localMuxers.isEmpty()) {
      payload.setExtensions(NoiseExtensions.newBuilder().addAllStreamMuxers(localMuxers));
    }
    return payload.build().toByteArray();
  }

  private RemoteIdentity verify(byte[] payloadBytes) throws NoiseHandshakeException {
    NoiseHandshakePayload payload;
    try {
      payload = NoiseHandshakePayload.parseFrom(payloadBytes);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseHandshakeException(
          Reason.MALFORMED_MESSAGE, "handshake payload is not a NoiseHandshakePayload", e);
    }
    if (!payload.hasIdentityKey()) {
      throw new NoiseHandshakeException(Reason.INVALID_IDENTITY_KEY, "payload has no identity key");
    }
    PublicKey publicKey;
    try {
      publicKey = PublicKey.unmarshal(payload.getIdentityKey().toByteArray());
    } catch (KeyFormatException e) {
      throw new NoiseHandshakeException(
          Reason.INVALID_IDENTITY_KEY, "cannot decode identity key: " + e.getMessage(), e);
    }
    byte[] remoteStatic =
        state
            .remoteStaticPublicKey()
            .orElseThrow(() -> new IllegalStateException("no remote static key after its s"));
    if (!payload.hasIdentitySig()
        || !publicKey.verify(signedBytes(remoteStatic), payload.getIdentitySig().toByteArray())) {
      throw new NoiseHandshakeException(
          Reason.BAD_IDENTITY_SIGNATURE,
          "identity " + publicKey.type() + " key's signature over the Noise static key is invalid");
    }
    PeerId peerId = PeerId.fromPublicKey(publicKey);
    if (expectedRemotePeer.isPresent() && !expectedRemotePeer.get().equals(peerId)) {
      throw new NoiseHandshakeException(
          Reason.PEER_ID_MISMATCH,
          "dialled " + expectedRemotePeer.get() + " but the remote peer is " + peerId);
    }
    List<String> muxers =
        payload.hasExtensions()
            ? List.copyOf(payload.getExtensions().getStreamMuxersList())
            : List.of();
    return new RemoteIdentity(peerId, publicKey, muxers);
  }

  /** libp2p noise spec: the identity key signs {@code "noise-libp2p-static-key:" || s}. */
  private static byte[] signedBytes(byte[] staticKey) {
    byte[] out = new byte[STATIC_KEY_SIGNATURE_PREFIX.length + staticKey.length];
    System.arraycopy(STATIC_KEY_SIGNATURE_PREFIX, 0, out, 0, STATIC_KEY_SIGNATURE_PREFIX.length);
    System.arraycopy(staticKey, 0, out, STATIC_KEY_SIGNATURE_PREFIX.length, staticKey.length);
    return out;
  }

  private record RemoteIdentity(PeerId peerId, PublicKey publicKey, List<String> muxers) {}
}
