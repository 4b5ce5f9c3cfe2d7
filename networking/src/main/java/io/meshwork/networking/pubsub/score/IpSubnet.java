package io.meshwork.networking.pubsub.score;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IP subnet in CIDR notation ({@code 127.0.0.0/8}, {@code ::1/128}). Immutable. */
public record IpSubnet(InetAddress network, int prefixLength) {

  public IpSubnet {
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    }
  }

  /** Parses {@code address/prefix}; a bare literal address means a single host. */
  public static IpSubnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    String host = slash < 0 ? cidr : cidr.substring(0, slash);
    if (host.isEmpty() || !(Character.digit(host.charAt(0), 16) >= 0 || host.charAt(0) == ':')) {
      throw new IllegalArgumentException("not an IP literal: " + cidr);
    }
    try {
      // A literal (checked above) never triggers a DNS lookup.
      InetAddress address = InetAddress.getByName(host);
      int prefix =
          slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(cidr.substring(slash + 1));
      return new IpSubnet(address, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("bad subnet " + cidr + ": " + e.getMessage(), e);
    }
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (n[full] & mask);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
