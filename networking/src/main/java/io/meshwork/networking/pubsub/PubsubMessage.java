package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerIdFormatException;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A pubsub message as published by its author (pubsub spec, "The Message"): immutable view over the
 * wire form. Safe to share between threads.
 */
public final class PubsubMessage {
  private final GossipsubProto.Message proto;

  PubsubMessage(GossipsubProto.Message proto) {
    this.proto = proto;
  }

  /** Wraps a decoded wire message (used by codecs and tests). */
  public static PubsubMessage fromProto(GossipsubProto.Message proto) {
    return new PubsubMessage(proto);
  }

  public GossipsubProto.Message proto() {
    return proto;
  }

  public String topic() {
    return proto.getTopic();
  }

  /** A copy of the payload. */
  public byte[] data() {
    return proto.getData().toByteArray();
  }

  public int dataSize() {
    return proto.getData().size();
  }

  /** The author, if the message carries a well-formed {@code from} field. */
  public Optional<PeerId> from() {
    if (!proto.hasFrom()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PeerId.fromBytes(proto.getFrom().toByteArray()));
    } catch (PeerIdFormatException e) {
      return Optional.empty();
    }
  }

  /** The 64-bit big-endian sequence number, if present and 8 bytes long. */
  public Optional<Long> seqno() {
    if (!proto.hasSeqno() || proto.getSeqno().size() != Long.BYTES) {
      return Optional.empty();
    }
    return Optional.of(ByteBuffer.wrap(proto.getSeqno().toByteArray()).getLong());
  }

  /** Serialized size of the message on the wire, without RPC framing. */
  public int wireSize() {
    return proto.getSerializedSize();
  }

  @Override
  public String toString() {
    return "PubsubMessage[topic=" + topic() + ", size=" + dataSize() + ", from=" + from() + "]";
  }
}
