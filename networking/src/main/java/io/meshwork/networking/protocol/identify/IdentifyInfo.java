package io.meshwork.networking.protocol.identify;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PublicKey;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself.
 *
 * @param listenAddresses from the signed peer record when it verified, else the plain field
 * @param signedRecordSeq the sequence number of a verified signed peer record, if one came
 * @param signedPeerRecord that verified record's envelope, exactly as received (RFC 0003 asks peers
 *     to keep it so others can re-verify it; peer exchange forwards it)
 */
public record IdentifyInfo(
    PeerId peerId,
    Optional<PublicKey> publicKey,
    String agentVersion,
    String protocolVersion,
    List<String> protocols,
    List<Multiaddr> listenAddresses,
    Optional<Multiaddr> observedAddress,
    Optional<Long> signedRecordSeq,
    Optional<byte[]> signedPeerRecord) {
  public IdentifyInfo {
    protocols = List.copyOf(protocols);
    listenAddresses = List.copyOf(listenAddresses);
    signedPeerRecord = signedPeerRecord.map(byte[]::clone);
  }

  @Override
  public Optional<byte[]> signedPeerRecord() {
    return signedPeerRecord.map(byte[]::clone);
  }
}
