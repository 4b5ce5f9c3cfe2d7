package io.meshwork.networking.protocol.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.crypto.KeyFormatException;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.crypto.PublicKey;
import io.meshwork.networking.crypto.SignedEnvelope;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.protocol.ProtocolViolationException;
import io.meshwork.networking.protocol.identify.pb.IdentifyProto.Identify;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds our {@code Identify} message and reads a peer's, checking that its key and signed peer
 * record belong to the peer we are connected to. Pure: no I/O.
 */
public final class IdentifyCodec {
  private static final Logger LOG = LoggerFactory.getLogger(IdentifyCodec.class);
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  static final int MAX_ADDRESSES = 32;

  /** rust-libp2p refuses identify messages over 4 KiB (wire-notes, "Identify"). */
  static final int MAX_SENT_SIZE = 4096;

  static final int MAX_PROTOCOLS = 128;

  private IdentifyCodec() {}

  /**
   * Our message: key, addresses (plain and as a signed record), protocols, the observed address.
   */
  public static byte[] encode(
      PrivateKey identity,
      String agentVersion,
      List<Multiaddr> listenAddresses,
      List<String> protocols,
      Optional<Multiaddr> observed,
      byte[] signedPeerRecord) {
    Identify.Builder message =
        Identify.newBuilder()
            .setProtocolVersion(PROTOCOL_VERSION)
            .setAgentVersion(agentVersion)
            .setPublicKey(ByteString.copyFrom(identity.publicKey().marshal()))
            .addAllProtocols(protocols);
    listenAddresses.forEach(a -> message.addListenAddrs(ByteString.copyFrom(a.toBytes())));
    observed.ifPresent(a -> message.setObservedAddr(ByteString.copyFrom(a.toBytes())));
    message.setSignedPeerRecord(ByteString.copyFrom(signedPeerRecord));
    return message.build().toByteArray();
  }

  /**
   * Reads a peer's message.
   *
   * @throws ProtocolViolationException when it does not parse or its key is not {@code peer}'s
   */
  public static IdentifyInfo decode(PeerId peer, byte[] bytes) throws ProtocolViolationException {
    Identify message;
    try {
      message = Identify.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("identify message does not parse: " + e.getMessage());
    }
    Optional<PublicKey> key = Optional.empty();
    if (message.hasPublicKey()) {
      try {
        PublicKey publicKey = PublicKey.unmarshal(message.getPublicKey().toByteArray());
        if (!peer.matches(publicKey)) {
          throw new ProtocolViolationException("identify public key does not belong to " + peer);
        }
        key = Optional.of(publicKey);
      } catch (KeyFormatException e) {
        throw new ProtocolViolationException("identify public key is malformed: " + e.getMessage());
      }
    }
    List<Multiaddr> addresses = new ArrayList<>();
    for (ByteString raw : message.getListenAddrsList()) {
      if (addresses.size() == MAX_ADDRESSES) {
        break;
      }
      parse(raw).ifPresent(addresses::add);
    }
    Optional<Long> seq = Optional.empty();
    Optional<byte[]> signedRecord = Optional.empty();
    if (message.hasSignedPeerRecord()) {
      try {
        byte[] envelopeBytes = message.getSignedPeerRecord().toByteArray();
        SignedEnvelope envelope = SignedEnvelope.open(envelopeBytes, PeerRecord.DOMAIN);
        PeerRecord record = PeerRecord.fromEnvelope(envelope);
        if (!record.peerId().equals(peer)) {
          throw new ProtocolViolationException("signed peer record is for another peer");
        }
        addresses =
            new ArrayList<>(
                record.addresses().subList(0, Math.min(MAX_ADDRESSES, record.addresses().size())));
        seq = Optional.of(record.seq());
        signedRecord = Optional.of(envelopeBytes);
      } catch (IllegalArgumentException e) {
        // A bad record is not fatal (go and js fall back to the plain addresses); we do not trust
        // it.
        LOG.debug("ignoring invalid signed peer record from {}: {}", peer, e.getMessage());
      }
    }
    List<String> protocols =
        message.getProtocolsList().subList(0, Math.min(MAX_PROTOCOLS, message.getProtocolsCount()));
    return new IdentifyInfo(
        peer,
        key,
        message.getAgentVersion(),
        message.getProtocolVersion(),
        protocols,
        addresses,
        message.hasObservedAddr() ? parse(message.getObservedAddr()) : Optional.empty(),
        seq,
        signedRecord);
  }

  private static Optional<Multiaddr> parse(ByteString raw) {
    try {
      return Optional.of(Multiaddr.fromBytes(raw.toByteArray()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
