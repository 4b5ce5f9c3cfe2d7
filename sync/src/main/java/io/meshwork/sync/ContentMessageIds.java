package io.meshwork.sync;

import io.meshwork.networking.pubsub.GossipConfig;
import io.meshwork.networking.pubsub.MessageId;
import io.meshwork.networking.pubsub.MessageIdFunction;
import io.meshwork.networking.pubsub.SigningPolicy;
import io.meshwork.sync.wire.Snappy;
import io.meshwork.sync.wire.WireFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;

/**
 * Message ids of the chain topics (chain-gossip.md, "Message ids"): the first 20 bytes of SHA-256
 * over a domain byte and the decompressed payload, so the same content has the same id whoever
 * published it; a payload that does not decompress is hashed as it is, under another domain byte.
 */
public final class ContentMessageIds {
  static final byte VALID_SNAPPY = 1;
  static final byte INVALID_SNAPPY = 0;
  static final int ID_BYTES = 20;

  private ContentMessageIds() {}

  /** The id functions for both topics of {@code protocols}, to configure gossipsub with. */
  public static Map<String, MessageIdFunction> forTopics(SyncProtocols protocols) {
    return Map.of(
        protocols.txTopic(), of(SyncProtocols.MAX_TX_MESSAGE_BYTES),
        protocols.blockTopic(), of(protocols.maxBlockMessageBytes()));
  }

  /**
   * The chain topics are StrictNoSign (chain-gossip.md, "Payload and message id"): their content
   * authenticates itself (transaction signatures, proof of work), so a per-message signature would
   * only cost every node one more verification per message.
   */
  public static Map<String, SigningPolicy> signingPolicies(SyncProtocols protocols) {
    return Map.of(
        protocols.txTopic(), SigningPolicy.STRICT_NO_SIGN,
        protocols.blockTopic(), SigningPolicy.STRICT_NO_SIGN);
  }

  /** {@code builder} with this network's message ids and signing policies on the chain topics. */
  public static GossipConfig.Builder configure(
      GossipConfig.Builder builder, SyncProtocols protocols) {
    return builder
        .topicMessageIdFunctions(forTopics(protocols))
        .topicSigningPolicies(signingPolicies(protocols));
  }

  static MessageIdFunction of(int maxDecompressedBytes) {
    return message -> {
      byte[] data = message.data();
      try {
        return id(VALID_SNAPPY, Snappy.decompress(data, maxDecompressedBytes));
      } catch (WireFormatException e) {
        return id(INVALID_SNAPPY, data);
      }
    };
  }

  static MessageId id(byte domain, byte[] content) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(domain);
      return MessageId.of(Arrays.copyOf(sha.digest(content), ID_BYTES));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the JDK", e);
    }
  }
}
