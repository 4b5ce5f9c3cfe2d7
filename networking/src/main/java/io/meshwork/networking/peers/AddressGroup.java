package io.meshwork.networking.peers;

import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.MultiaddrComponent;
import io.meshwork.networking.multiformats.MultiaddrProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The network an address belongs to. Many peers in one group are likely one operator (a Sybil or
 * eclipse attempt), so both the Kademlia routing table and the {@link AddressBook} limit how much
 * room one group gets. Two granularities use this one type: the routing table's {@link #of} groups
 * (IPv4 /24, IPv6 /48, as go-libp2p-kad-dht's diversity filter) and the address book's {@link
 * AddressGrouping} (IPv4 /16, IPv6 /32, as Bitcoin Core's addrman {@code CNetAddr::GetGroup}).
 * Groups of different kinds or prefix lengths never compare equal.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what {@code bytes} holds
 * @param bytes the group's key: a masked IP prefix (with its length in bits as the first byte), a
 *     DNS name in UTF-8, or an IP address followed by a two-byte port
 */
public record AddressGroup(Kind kind, byte[] bytes) {
  /** What a group is made of. */
  public enum Kind {
    /** An IPv4 network prefix. */
    IPV4,
    /** An IPv6 network prefix. */
    IPV6,
    /**
     * A DNS name ({@code /dns}, {@code /dns4}, {@code /dns6}, {@code /dnsaddr}): one group each.
     */
    DNS,
    /** One IP address and port: every local node its own group, for loopback testnets. */
    IP_PORT,
    /** Anything without an IP or DNS component (e.g. a bare relay address): one shared group. */
    OTHER
  }

  /** Routing-table granularity: an IPv4 /24. */
  public static final int ROUTING_IPV4_BITS = 24;

  /** Routing-table granularity: an IPv6 /48. */
  public static final int ROUTING_IPV6_BITS = 48;

  private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1};

  public AddressGroup {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The distinct routing-table groups (IPv4 /24, IPv6 /48) of the IP addresses among {@code
   * addresses}; DNS names and other addresses have none.
   */
  public static Set<AddressGroup> of(List<Multiaddr> addresses) {
    Set<AddressGroup> groups = new LinkedHashSet<>();
    for (Multiaddr address : addresses) {
      ipPrefix(address, ROUTING_IPV4_BITS, ROUTING_IPV6_BITS).ifPresent(groups::add);
    }
    return groups;
  }

  /**
   * The network prefix of {@code address}'s leading IP component, or empty if it does not start
   * with one. IPv4-mapped IPv6 addresses count as IPv4, as in addrman.
   */
  public static Optional<AddressGroup> ipPrefix(Multiaddr address, int ipv4Bits, int ipv6Bits) {
    return leadingIp(address)
        .map(
            ip ->
                ip.length == 4
                    ? new AddressGroup(Kind.IPV4, masked(ip, ipv4Bits))
                    : new AddressGroup(Kind.IPV6, masked(ip, ipv6Bits)));
  }

  /** The DNS-name group of {@code name} (case-insensitive, as DNS is). */
  public static AddressGroup dnsName(String name) {
    return new AddressGroup(
        Kind.DNS, name.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
  }

  /** The shared group of addresses that have neither an IP nor a DNS name. */
  public static AddressGroup other() {
    return new AddressGroup(Kind.OTHER, new byte[0]);
  }

  /**
   * The leading IP address of {@code address} as 4 or 16 bytes (IPv4-mapped IPv6 unwrapped to 4),
   * or empty.
   */
  static Optional<byte[]> leadingIp(Multiaddr address) {
    List<MultiaddrComponent> components = address.components();
    if (components.isEmpty()) {
      return Optional.empty();
    }
    MultiaddrComponent first = components.get(0);
    if (first.protocol() == MultiaddrProtocol.IP4) {
      return Optional.of(first.value());
    }
    if (first.protocol() == MultiaddrProtocol.IP6) {
      byte[] ip = first.value();
      if (Arrays.equals(ip, 0, 12, IPV4_MAPPED_PREFIX, 0, 12)) {
        return Optional.of(Arrays.copyOfRange(ip, 12, 16));
      }
      return Optional.of(ip);
    }
    return Optional.empty();
  }

  /** The prefix length in one byte, then the first {@code bits} bits of {@code ip}, rest zeroed. */
  private static byte[] masked(byte[] ip, int bits) {
    int clamped = Math.max(0, Math.min(bits, ip.length * 8));
    byte[] out = new byte[1 + (clamped + 7) / 8];
    out[0] = (byte) clamped;
    System.arraycopy(ip, 0, out, 1, out.length - 1);
    int spare = (out.length - 1) * 8 - clamped;
    if (spare > 0) {
      out[out.length - 1] &= (byte) (0xff << spare);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressGroup other
        && kind == other.kind
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "AddressGroup(" + kind + " " + HexFormat.of().formatHex(bytes) + ")";
  }
}
