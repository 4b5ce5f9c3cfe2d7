package io.meshwork.networking.pubsub;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.KeyFormatException;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerIdFormatException;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.crypto.PublicKey;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Message signing and verification (pubsub spec, "Message Signing"): the signature covers {@code
 * "libp2p-pubsub:" ‖ marshal(message without signature and key)}; the key is inlined in an identity
 * peer id or carried in the {@code key} field, which must then match {@code from}. Stateless and
 * thread-safe.
 */
public final class MessageSigning {
  static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);

  private MessageSigning() {}

  /**
   * Fills {@code from}, {@code signature} and, for keys not inlined in the peer id, {@code key}.
   */
  public static GossipsubProto.Message sign(
      PrivateKey key, GossipsubProto.Message.Builder unsigned) {
    PublicKey publicKey = key.publicKey();
    PeerId author = PeerId.fromPublicKey(publicKey);
    unsigned.setFrom(ByteString.copyFrom(author.toBytes())).clearSignature().clearKey();
    byte[] signature = key.sign(signedBytes(unsigned.build()));
    unsigned.setSignature(ByteString.copyFrom(signature));
    if (author.extractPublicKey().isEmpty()) {
      unsigned.setKey(ByteString.copyFrom(publicKey.marshal()));
    }
    return unsigned.build();
  }

  /**
   * Checks a message against a policy; returns the reason it fails, or empty when it conforms.
   * Never throws on malformed input.
   */
  public static Optional<String> check(SigningPolicy policy, GossipsubProto.Message message) {
    return switch (policy) {
      case STRICT_NO_SIGN ->
          message.hasFrom() || message.hasSeqno() || message.hasSignature() || message.hasKey()
              ? Optional.of("StrictNoSign forbids from, seqno, signature and key")
              : Optional.empty();
      case STRICT_SIGN -> verify(message);
    };
  }

  private static Optional<String> verify(GossipsubProto.Message message) {
    if (!message.hasFrom() || !message.hasSeqno() || !message.hasSignature()) {
      return Optional.of("StrictSign requires from, seqno and signature");
    }
    if (message.getSeqno().size() != Long.BYTES) {
      return Optional.of("seqno must be 8 bytes");
    }
    PeerId author;
    try {
      author = PeerId.fromBytes(message.getFrom().toByteArray());
    } catch (PeerIdFormatException e) {
      return Optional.of("malformed from: " + e.getMessage());
    }
    PublicKey key;
    if (message.hasKey()) {
      try {
        key = PublicKey.unmarshal(message.getKey().toByteArray());
      } catch (KeyFormatException e) {
        return Optional.of("malformed key: " + e.getMessage());
      }
      if (!author.matches(key)) {
        return Optional.of("key does not match from");
      }
    } else {
      Optional<PublicKey> inlined = author.extractPublicKey();
      if (inlined.isEmpty()) {
        return Optional.of("no key: from is not an identity peer id and key is absent");
      }
      key = inlined.get();
    }
    return key.verify(signedBytes(message), message.getSignature().toByteArray())
        ? Optional.empty()
        : Optional.of("bad signature");
  }

  /**
   * The bytes under signature. Built from the known fields only, so unknown fields a sender added
   * do not change what we verify (protobuf-java writes known fields in field-number order, the
   * canonical order other implementations sign).
   */
  static byte[] signedBytes(GossipsubProto.Message message) {
    GossipsubProto.Message stripped =
        message.toBuilder()
            .clearSignature()
            .clearKey()
            .setUnknownFields(com.google.protobuf.UnknownFieldSet.getDefaultInstance())
            .build();
    byte[] body = stripped.toByteArray();
    byte[] out = new byte[PREFIX.length + body.length];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    System.arraycopy(body, 0, out, PREFIX.length, body.length);
    return out;
  }
}
