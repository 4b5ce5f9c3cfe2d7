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
 */
public record IdentifyInfo(
    PeerId peerId,
    Optional<PublicKey> publicKey,
    String agentVersion,
    String protocolVersion,
    List<String> protocols,
    List<Multiaddr> listenAddresses,
    Optional<Multiaddr> observedAddress,
    Optional<Long> signedRecordSeq) {
  public IdentifyInfo {
    protocols = List.copyOf(protocols);
    listenAddresses = List.copyOf(listenAddresses);
  }
}
