package io.meshwork.sync.wire;

import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Hash;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The status request and response: which network and chain a node follows and where its head is
 * (chain-reqresp.md, "Messages" and "Status exchange").
 */
public record StatusMessage(
    String networkId, Hash genesisHash, Hash headHash, long headHeight, BigInteger totalWork) {
  public static final int MAX_NETWORK_ID_BYTES = 64;
  public static final int MAX_TOTAL_WORK_BYTES = 32;

  public StatusMessage {
    Objects.requireNonNull(networkId, "networkId");
    Objects.requireNonNull(genesisHash, "genesisHash");
    Objects.requireNonNull(headHash, "headHash");
    Objects.requireNonNull(totalWork, "totalWork");
    int idBytes = networkId.getBytes(StandardCharsets.UTF_8).length;
    if (idBytes == 0 || idBytes > MAX_NETWORK_ID_BYTES) {
      throw new IllegalArgumentException(
          "network id must be 1.." + MAX_NETWORK_ID_BYTES + " bytes, got " + idBytes);
    }
    if (headHeight < 0) {
      throw new IllegalArgumentException("head height must not be negative");
    }
    if (totalWork.signum() < 0 || totalWork.bitLength() > 8 * MAX_TOTAL_WORK_BYTES) {
      throw new IllegalArgumentException("total work must be in [0, 2^256)");
    }
  }

  /**
   * Why a peer sending {@code peer} is on another network than ours, as the invalid-request reason
   * "wrong network: ..."; empty when network id and genesis hash both match.
   */
  public Optional<String> wrongNetworkReason(StatusMessage peer) {
    if (networkId.equals(peer.networkId) && genesisHash.equals(peer.genesisHash)) {
      return Optional.empty();
    }
    return Optional.of(
        "wrong network: expected "
            + networkId
            + "/"
            + genesisHash
            + ", got "
            + peer.networkId
            + "/"
            + peer.genesisHash);
  }

  public byte[] encode() {
    byte[] id = networkId.getBytes(StandardCharsets.UTF_8);
    byte[] work = unsignedMinimal(totalWork);
    return new CanonicalWriter(id.length + work.length + 2 * Hash.SIZE + 16)
        .varint(id.length)
        .bytes(id)
        .hash(genesisHash)
        .hash(headHash)
        .varint(headHeight)
        .varint(work.length)
        .bytes(work)
        .toByteArray();
  }

  public static StatusMessage decode(byte[] bytes) {
    return WireFormatException.decoding(
        "status",
        () -> {
          CanonicalReader reader = new CanonicalReader(bytes);
          int idLength = reader.count(MAX_NETWORK_ID_BYTES, "network id length");
          String id = strictUtf8(reader.bytes(idLength, "network id"));
          Hash genesis = reader.hash("genesis hash");
          Hash head = reader.hash("head hash");
          long height = reader.varint("head height");
          int workLength = reader.count(MAX_TOTAL_WORK_BYTES, "total work length");
          byte[] work = reader.bytes(workLength, "total work");
          if (workLength > 0 && work[0] == 0) {
            throw new WireFormatException("status: non-minimal total work (leading zero byte)");
          }
          reader.expectEnd("status");
          return new StatusMessage(id, genesis, head, height, new BigInteger(1, work));
        });
  }

  private static byte[] unsignedMinimal(BigInteger value) {
    byte[] twos = value.toByteArray();
    // toByteArray adds a sign byte when the top bit is set, and gives {0} for zero.
    int start = 0;
    while (start < twos.length && twos[start] == 0) {
      start++;
    }
    return Arrays.copyOfRange(twos, start, twos.length);
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WireFormatException("status: network id is not valid UTF-8", e);
    }
  }
}
