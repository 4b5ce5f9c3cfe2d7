package io.meshwork.networking.peers.pex;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.peers.pex.pb.PexProto.PexRequest;
import io.meshwork.networking.peers.pex.pb.PexProto.PexResponse;
import io.meshwork.networking.protocol.DelimitedReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and checks peer-exchange messages (docs/protocols/pex.md): each a protobuf prefixed by
 * its length as an unsigned varint ({@link DelimitedReader#frame}). Decoding enforces the limits of
 * a {@link PexConfig} and verifies every signed peer record; encoding stays inside them. Stateless
 * and thread-safe; verifying a full response costs up to {@link PexConfig#maxPeersPerResponse()}
 * signature checks, so it belongs off the event loops.
 */
public final class PexCodec {
  /** A request is one small integer; anything longer is not one of ours (pex.md, "Limits"). */
  public static final int MAX_REQUEST_SIZE = 1024;

  private PexCodec() {}

  /** A framed request for up to {@code maxPeers} records. */
  public static byte[] encodeRequest(int maxPeers) {
    return DelimitedReader.frame(
        PexRequest.newBuilder().setMaxPeers(maxPeers).build().toByteArray());
  }

  /**
   * How many records the requester wants, capped at {@code limit} (0 on the wire means "yours").
   *
   * @throws PexProtocolException if {@code body} is too long or not a {@code PexRequest}
   */
  public static int decodeRequest(byte[] body, int limit) {
    if (body.length > MAX_REQUEST_SIZE) {
      throw new PexProtocolException(
          "pex request of " + body.length + " bytes exceeds the limit of " + MAX_REQUEST_SIZE);
    }
    try {
      int wanted = PexRequest.parseFrom(body).getMaxPeers();
      return wanted <= 0 ? limit : Math.min(wanted, limit); // uint32 beyond 2^31 reads negative
    } catch (InvalidProtocolBufferException e) {
      throw new PexProtocolException("pex request is not a valid protobuf: " + e.getMessage(), e);
    }
  }

  /**
   * A framed {@code OK} response carrying {@code records} (marshalled envelopes) in order, dropping
   * those larger than {@link PexConfig#maxRecordSize()} and then, from the end, as many as it takes
   * for the body to fit {@link PexConfig#maxMessageSize()}; at most {@link
   * PexConfig#maxPeersPerResponse()} records.
   */
  public static byte[] encodeResponse(List<byte[]> records, PexConfig config) {
    PexResponse.Builder response = PexResponse.newBuilder().setStatus(PexResponse.Status.OK);
    int size = 0;
    for (byte[] record : records) {
      if (response.getSignedPeerRecordsCount() == config.maxPeersPerResponse()) {
        break;
      }
      if (record.length > config.maxRecordSize()) {
        continue;
      }
      int fieldSize = CodedOutputStream.computeByteArraySize(2, record);
      if (size + fieldSize > config.maxMessageSize()) {
        break;
      }
      size += fieldSize;
      response.addSignedPeerRecords(ByteString.copyFrom(record));
    }
    return DelimitedReader.frame(response.build().toByteArray());
  }

  /** A framed refusal: {@code status} (not OK) and when to ask again. */
  public static byte[] encodeRefusal(PexResponse.Status status, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return DelimitedReader.frame(
        PexResponse.newBuilder()
            .setStatus(status)
            .setRetryAfterSeconds((int) Math.min(seconds, Integer.MAX_VALUE))
            .build()
            .toByteArray());
  }

  /**
   * Reads and verifies a response body (without its length prefix) from {@code responder} to our
   * request for {@code requested} records (pex.md, "What the requester verifies").
   *
   * @return the peers of the valid records, minus {@code self} and {@code responder}, one entry per
   *     peer (the highest seq wins), each with at most {@link PexConfig#maxAddressesPerRecord()}
   *     addresses without {@code /p2p}; records left without an address are dropped
   * @throws PexProtocolException if the body is too large or malformed, holds too many records, or
   *     any record is too large or does not verify
   * @throws PexRejectedException if the responder refused the request
   */
  public static List<PeerAddresses> decodeResponse(
      byte[] body, int requested, PeerId responder, PeerId self, PexConfig config) {
    if (body.length > config.maxMessageSize()) {
      throw new PexProtocolException(
          "pex response of "
              + body.length
              + " bytes exceeds the limit of "
              + config.maxMessageSize());
    }
    PexResponse response;
    try {
      response = PexResponse.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new PexProtocolException("pex response is not a valid protobuf: " + e.getMessage(), e);
    }
    if (response.getStatus() != PexResponse.Status.OK) {
      if (response.getStatus() == PexResponse.Status.UNRECOGNIZED) {
        throw new PexProtocolException("unknown pex status " + response.getStatusValue());
      }
      throw new PexRejectedException(
          response.getStatus(),
          Duration.ofSeconds(Integer.toUnsignedLong(response.getRetryAfterSeconds())));
    }
    int limit = Math.min(requested, config.maxPeersPerResponse());
    if (response.getSignedPeerRecordsCount() > limit) {
      throw new PexProtocolException(
          "pex response carries "
              + response.getSignedPeerRecordsCount()
              + " records; at most "
              + limit
              + " were asked for");
    }
    Map<PeerId, PeerRecord> newest = new LinkedHashMap<>();
    for (ByteString envelope : response.getSignedPeerRecordsList()) {
      PeerRecord record = verify(envelope, config);
      if (record.peerId().equals(self) || record.peerId().equals(responder)) {
        continue; // we know both first-hand (pex.md)
      }
      newest.merge(
          record.peerId(), record, (a, b) -> Long.compareUnsigned(b.seq(), a.seq()) > 0 ? b : a);
    }
    List<PeerAddresses> peers = new ArrayList<>(newest.size());
    for (PeerRecord record : newest.values()) {
      List<Multiaddr> addresses = new ArrayList<>();
      for (Multiaddr address : record.addresses()) {
        Multiaddr plain = address.withoutP2p();
        if (addresses.size() < config.maxAddressesPerRecord() && !addresses.contains(plain)) {
          addresses.add(plain);
        }
      }
      if (!addresses.isEmpty()) {
        peers.add(new PeerAddresses(record.peerId(), addresses));
      }
    }
    return List.copyOf(peers);
  }

  /**
   * Opens one envelope: signature in the peer-record domain, payload type, and record peer id equal
   * to the signer's (RFC 0002 "Signature Verification", RFC 0003).
   */
  private static PeerRecord verify(ByteString envelope, PexConfig config) {
    if (envelope.size() > config.maxRecordSize()) {
      throw new PexProtocolException(
          "signed peer record of "
              + envelope.size()
              + " bytes exceeds the limit of "
              + config.maxRecordSize());
    }
    try {
      return PeerRecord.open(envelope.toByteArray());
    } catch (IllegalArgumentException e) { // EnvelopeException, or a bad multiaddr inside
      throw new PexProtocolException("invalid signed peer record: " + e.getMessage(), e);
    }
  }
}
