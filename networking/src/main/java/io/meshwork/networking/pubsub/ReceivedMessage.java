package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.Optional;

/**
 * A validated message handed to a topic subscriber.
 *
 * @param topic the topic
 * @param id its message id
 * @param author the {@code from} peer (empty under StrictNoSign)
 * @param data the payload (a private copy)
 * @param propagationSource the peer we first received it from
 */
public record ReceivedMessage(
    String topic, MessageId id, Optional<PeerId> author, byte[] data, PeerId propagationSource) {}
