package io.meshwork.networking.pubsub;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes the id under which a message is deduplicated and gossiped. Every node of a network must
 * use the same function for a topic (wire-notes, "Gossipsub": rust's default differs from go/js, so
 * a network should configure one explicitly). Called on the router thread; must be pure and cheap.
 */
@FunctionalInterface
public interface MessageIdFunction {
  MessageId idOf(PubsubMessage message);

  /** The go and js default: {@code from ‖ seqno}. Unusable with StrictNoSign (both are absent). */
  MessageIdFunction FROM_AND_SEQNO =
      message -> MessageId.of(message.proto().getFrom().concat(message.proto().getSeqno()));

  /** SHA-256 of the payload: the usual content-addressed choice, required with StrictNoSign. */
  static MessageIdFunction sha256OfData() {
    return message -> {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        message.proto().getData().asReadOnlyByteBufferList().forEach(digest::update);
        return MessageId.of(ByteString.copyFrom(digest.digest()));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required by the JDK", e);
      }
    };
  }
}
