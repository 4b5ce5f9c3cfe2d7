package io.meshwork.networking.peers;

import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.MultiaddrComponent;
import io.meshwork.networking.multiformats.MultiaddrProtocol;
import java.util.List;
import java.util.Optional;

/**
 * How the {@link AddressBook} groups addresses into networks. Everything bucketed by group (the new
 * table by source group, the tried table by address group) gives one group a bounded share of the
 * book, so an attacker with addresses in few networks cannot fill it (addrman's eclipse defence).
 * Implementations are pure functions, thread-safe.
 */
@FunctionalInterface
public interface AddressGrouping {
  /** Addrman's grouping: IPv4 /16, IPv6 /32, DNS addresses by name, the rest in one group. */
  AddressGrouping NETWORK = address -> networkGroup(address, 16, 32);

  /**
   * For testnets on one machine: loopback addresses ({@code 127.0.0.0/8}, {@code ::1}) grouped by
   * IP and port, so each local node is its own group; other addresses as {@link #NETWORK}.
   */
  AddressGrouping LOOPBACK_BY_PORT =
      address ->
          AddressGroup.leadingIp(address)
              .filter(AddressGrouping::isLoopback)
              .flatMap(ip -> ipAndPort(ip, address))
              .orElseGet(() -> networkGroup(address, 16, 32));

  /** The group of {@code address}; never fails, unknown shapes fall into a shared group. */
  AddressGroup groupOf(Multiaddr address);

  /** IP prefixes of the given lengths; DNS by name; anything else in one shared group. */
  static AddressGroup networkGroup(Multiaddr address, int ipv4Bits, int ipv6Bits) {
    Optional<AddressGroup> ip = AddressGroup.ipPrefix(address, ipv4Bits, ipv6Bits);
    if (ip.isPresent()) {
      return ip.get();
    }
    List<MultiaddrComponent> components = address.components();
    if (!components.isEmpty()) {
      MultiaddrComponent first = components.get(0);
      switch (first.protocol()) {
        case DNS, DNS4, DNS6, DNSADDR -> {
          return AddressGroup.dnsName(first.valueString());
        }
        default -> {}
      }
    }
    return AddressGroup.other();
  }

  private static boolean isLoopback(byte[] ip) {
    if (ip.length == 4) {
      return ip[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return ip[15] == 1;
  }

  private static Optional<AddressGroup> ipAndPort(byte[] ip, Multiaddr address) {
    List<MultiaddrComponent> components = address.components();
    if (components.size() < 2) {
      return Optional.empty();
    }
    MultiaddrComponent transport = components.get(1);
    if (transport.protocol() != MultiaddrProtocol.TCP
        && transport.protocol() != MultiaddrProtocol.UDP) {
      return Optional.empty();
    }
    byte[] port = transport.value();
    byte[] key = new byte[ip.length + port.length];
    System.arraycopy(ip, 0, key, 0, ip.length);
    System.arraycopy(port, 0, key, ip.length, port.length);
    return Optional.of(new AddressGroup(AddressGroup.Kind.IP_PORT, key));
  }
}
