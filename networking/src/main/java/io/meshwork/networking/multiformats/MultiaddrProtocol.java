package io.meshwork.networking.multiformats;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The multiaddr protocols Meshwork understands, with their multicodec codes (multicodec table, tag
 * "multiaddr"). An address using any other code is rejected: its value length could not be known,
 * so the rest of the address could not be read.
 */
public enum MultiaddrProtocol {
  IP4(0x04, "ip4", ValueKind.IP4),
  TCP(0x06, "tcp", ValueKind.PORT),
  DCCP(0x21, "dccp", ValueKind.PORT),
  IP6(0x29, "ip6", ValueKind.IP6),
  IP6ZONE(0x2a, "ip6zone", ValueKind.TEXT),
  DNS(0x35, "dns", ValueKind.TEXT),
  DNS4(0x36, "dns4", ValueKind.TEXT),
  DNS6(0x37, "dns6", ValueKind.TEXT),
  DNSADDR(0x38, "dnsaddr", ValueKind.TEXT),
  SCTP(0x84, "sctp", ValueKind.PORT),
  UDP(0x0111, "udp", ValueKind.PORT),
  WEBRTC_DIRECT(0x0118, "webrtc-direct", ValueKind.NONE),
  WEBRTC(0x0119, "webrtc", ValueKind.NONE),
  P2P_CIRCUIT(0x0122, "p2p-circuit", ValueKind.NONE),
  P2P(0x01a5, "p2p", ValueKind.MULTIHASH),
  HTTPS(0x01bb, "https", ValueKind.NONE),
  TLS(0x01c0, "tls", ValueKind.NONE),
  SNI(0x01c1, "sni", ValueKind.TEXT),
  NOISE(0x01c6, "noise", ValueKind.NONE),
  QUIC(0x01cc, "quic", ValueKind.NONE),
  QUIC_V1(0x01cd, "quic-v1", ValueKind.NONE),
  WEBTRANSPORT(0x01d1, "webtransport", ValueKind.NONE),
  CERTHASH(0x01d2, "certhash", ValueKind.MULTIBASE_MULTIHASH),
  WS(0x01dd, "ws", ValueKind.NONE),
  WSS(0x01de, "wss", ValueKind.NONE),
  HTTP(0x01e0, "http", ValueKind.NONE);

  /** How a protocol's value is encoded; decides its binary length and its text form. */
  enum ValueKind {
    /** No value. */
    NONE(0),
    /** 4 bytes, dotted decimal. */
    IP4(4),
    /** 16 bytes, RFC 5952 text. */
    IP6(16),
    /** 2 bytes big-endian, decimal. */
    PORT(2),
    /** Length-prefixed UTF-8 without '/'. */
    TEXT(-1),
    /** Length-prefixed multihash; text base58btc (or a libp2p-key CID when parsing). */
    MULTIHASH(-1),
    /** Length-prefixed multihash; text multibase (base64url when rendering). */
    MULTIBASE_MULTIHASH(-1);

    /** Fixed value size in bytes, or -1 for a varint length prefix. */
    final int size;

    ValueKind(int size) {
      this.size = size;
    }
  }

  private static final Map<Integer, MultiaddrProtocol> BY_CODE = new HashMap<>();
  private static final Map<String, MultiaddrProtocol> BY_NAME = new HashMap<>();

  static {
    for (MultiaddrProtocol protocol : values()) {
      BY_CODE.put(protocol.code, protocol);
      BY_NAME.put(protocol.protocolName, protocol);
    }
    // The multiaddr spec keeps /ipfs as a legacy text alias of /p2p (same code).
    BY_NAME.put("ipfs", P2P);
  }

  private final int code;
  private final String protocolName;
  private final ValueKind kind;

  MultiaddrProtocol(int code, String protocolName, ValueKind kind) {
    this.code = code;
    this.protocolName = protocolName;
    this.kind = kind;
  }

  /** The multicodec code, as written in binary multiaddrs. */
  public int code() {
    return code;
  }

  /** The name, as written in text multiaddrs. */
  public String protocolName() {
    return protocolName;
  }

  /** Whether the protocol carries a value (e.g. ip4 does, quic-v1 does not). */
  public boolean hasValue() {
    return kind != ValueKind.NONE;
  }

  ValueKind kind() {
    return kind;
  }

  public static Optional<MultiaddrProtocol> byCode(long code) {
    return code > Integer.MAX_VALUE
        ? Optional.empty()
        : Optional.ofNullable(BY_CODE.get((int) code));
  }

  /** The protocol with this text name; "ipfs" names {@link #P2P}. */
  public static Optional<MultiaddrProtocol> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
