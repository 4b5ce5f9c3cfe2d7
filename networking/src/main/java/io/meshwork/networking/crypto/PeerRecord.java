package io.meshwork.networking.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.crypto.pb.RecordProto;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.MultiaddrException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A peer record (libp2p RFC 0003): a peer's self-certified listen addresses with a sequence number,
 * carried in a {@link SignedEnvelope} with domain {@link #DOMAIN} and payload type {@link
 * #PAYLOAD_TYPE} (the multicodec libp2p-peer-record, 0x0301, as go- and js-libp2p use).
 *
 * @param seq an unsigned 64-bit counter (compare with {@link Long#compareUnsigned}); newer records
 *     of a peer carry higher values
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {
  public static final String DOMAIN = "libp2p-peer-record";
  public static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

  public PeerRecord {
    Objects.requireNonNull(peerId, "peerId");
    addresses = List.copyOf(addresses);
  }

  /**
   * Seals this record, signed by {@code key}.
   *
   * @throws IllegalArgumentException if {@code key} is not the key of {@link #peerId()}
   */
  public SignedEnvelope seal(PrivateKey key) {
    if (!peerId.matches(key.publicKey())) {
      throw new IllegalArgumentException("peer record of " + peerId + " signed by another key");
    }
    RecordProto.PeerRecord.Builder message =
        RecordProto.PeerRecord.newBuilder()
            .setPeerId(ByteString.copyFrom(peerId.toBytes()))
            .setSeq(seq);
    for (Multiaddr address : addresses) {
      message.addAddresses(
          RecordProto.PeerRecord.AddressInfo.newBuilder()
              .setMultiaddr(ByteString.copyFrom(address.toBytes())));
    }
    return SignedEnvelope.seal(key, DOMAIN, PAYLOAD_TYPE, message.build().toByteArray());
  }

  /**
   * Reads the record in an opened envelope and checks that its signer is the record's peer.
   * Addresses using multiaddr protocols we do not know are left out (they could not be dialed),
   * rather than rejecting the record; {@link SignedEnvelope#marshal()} still holds them all.
   *
   * @throws EnvelopeException if the domain or payload type is wrong, the payload is malformed, or
   *     the envelope was signed by a key other than the record's peer
   */
  public static PeerRecord fromEnvelope(SignedEnvelope envelope) {
    if (!DOMAIN.equals(envelope.domain())) {
      throw new EnvelopeException("envelope domain is not " + DOMAIN);
    }
    if (!Arrays.equals(PAYLOAD_TYPE, envelope.payloadType())) {
      throw new EnvelopeException("envelope payload is not a peer record");
    }
    RecordProto.PeerRecord message;
    PeerId peerId;
    try {
      message = RecordProto.PeerRecord.parseFrom(envelope.payload());
      peerId = PeerId.fromBytes(message.getPeerId().toByteArray());
    } catch (InvalidProtocolBufferException | PeerIdFormatException e) {
      throw new EnvelopeException("malformed peer record: " + e.getMessage(), e);
    }
    if (!peerId.matches(envelope.publicKey())) {
      throw new EnvelopeException("peer record of " + peerId + " signed by another peer's key");
    }
    List<Multiaddr> addresses = new ArrayList<>(message.getAddressesCount());
    for (RecordProto.PeerRecord.AddressInfo info : message.getAddressesList()) {
      try {
        addresses.add(Multiaddr.fromBytes(info.getMultiaddr().toByteArray()));
      } catch (MultiaddrException unusable) {
        // Skipped on purpose: see the method comment.
      }
    }
    return new PeerRecord(peerId, message.getSeq(), addresses);
  }

  /**
   * Opens a marshalled peer-record envelope: {@link SignedEnvelope#open} then {@link
   * #fromEnvelope}.
   */
  public static PeerRecord open(byte[] marshalledEnvelope) {
    return fromEnvelope(SignedEnvelope.open(marshalledEnvelope, DOMAIN));
  }
}
