package io.meshwork.networking.kad;

import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.MultiaddrComponent;
import io.meshwork.networking.multiformats.MultiaddrProtocol;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The network a peer's IP address belongs to, for routing-table diversity: an IPv4 /24 or an IPv6
 * /48. Many peers from one group are likely one operator (a Sybil or eclipse attempt), so the table
 * admits only a few per group (go-libp2p-kad-dht applies the same idea).
 *
 * @param prefix the group's network prefix: 3 bytes for IPv4, 6 for IPv6
 */
public record AddressGroup(byte[] prefix) {
  private static final int IP4_PREFIX_BYTES = 3;
  private static final int IP6_PREFIX_BYTES = 6;

  public AddressGroup {
    prefix = prefix.clone();
  }

  @Override
  public byte[] prefix() {
    return prefix.clone();
  }

  /** The distinct groups of the IP addresses among {@code addresses}; DNS names have none. */
  public static Set<AddressGroup> of(List<Multiaddr> addresses) {
    Set<AddressGroup> groups = new LinkedHashSet<>();
    for (Multiaddr address : addresses) {
      List<MultiaddrComponent> components = address.components();
      if (components.isEmpty()) {
        continue;
      }
      MultiaddrComponent first = components.get(0);
      if (first.protocol() == MultiaddrProtocol.IP4) {
        groups.add(new AddressGroup(Arrays.copyOf(first.value(), IP4_PREFIX_BYTES)));
      } else if (first.protocol() == MultiaddrProtocol.IP6) {
        groups.add(new AddressGroup(Arrays.copyOf(first.value(), IP6_PREFIX_BYTES)));
      }
    }
    return groups;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressGroup other && Arrays.equals(prefix, other.prefix);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(prefix);
  }

  @Override
  public String toString() {
    return "AddressGroup(" + HexFormat.of().formatHex(prefix) + ")";
  }
}
