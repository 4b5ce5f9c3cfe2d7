package io.meshwork.networking.interop;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the js peer learnt about a remote peer through Identify ({@code /ipfs/id/1.0.0}).
 *
 * @param peerId the identified peer
 * @param agentVersion the remote's agent version, if it sent one
 * @param protocolVersion the remote's protocol version, if it sent one
 * @param protocols the protocols the remote says it handles
 * @param listenAddrs the remote's listen addresses (from the signed peer record when js accepted
 *     one)
 * @param observedAddr the address the remote saw the js peer connect from
 * @param publicKeyType the type of the remote's identity key ({@code Ed25519}, {@code secp256k1}…)
 * @param signedPeerRecord the remote's signed peer record, when it sent a valid one
 * @param automatic true when this is the identify libp2p ran on connect, false for an exchange the
 *     command ran itself
 */
public record JsIdentifyResult(
    String peerId,
    Optional<String> agentVersion,
    Optional<String> protocolVersion,
    List<String> protocols,
    List<String> listenAddrs,
    Optional<String> observedAddr,
    Optional<String> publicKeyType,
    Optional<SignedPeerRecord> signedPeerRecord,
    boolean automatic) {

  /**
   * The content of a signed peer record (libp2p/specs RFC 0003).
   *
   * @param seq the record's sequence number, an unsigned 64-bit value
   * @param addrs the addresses it certifies
   */
  public record SignedPeerRecord(long seq, List<String> addrs) {
    public SignedPeerRecord {
      addrs = List.copyOf(addrs);
    }
  }

  public JsIdentifyResult {
    protocols = List.copyOf(protocols);
    listenAddrs = List.copyOf(listenAddrs);
  }

  @SuppressWarnings("unchecked")
  static JsIdentifyResult fromJson(Map<String, Object> json) {
    Optional<SignedPeerRecord> record =
        Optional.ofNullable((Map<String, Object>) json.get("signedPeerRecord"))
            .map(
                spr ->
                    new SignedPeerRecord(
                        // js sends the u64 as a decimal string to keep it exact.
                        Long.parseUnsignedLong((String) spr.get("seq")),
                        (List<String>) spr.get("addrs")));
    return new JsIdentifyResult(
        (String) json.get("peerId"),
        Optional.ofNullable((String) json.get("agentVersion")),
        Optional.ofNullable((String) json.get("protocolVersion")),
        (List<String>) json.get("protocols"),
        (List<String>) json.get("listenAddrs"),
        Optional.ofNullable((String) json.get("observedAddr")),
        Optional.ofNullable((String) json.get("publicKeyType")),
        record,
        "automatic".equals(json.get("source")));
  }
}
