package io.meshwork.networking.peers;

import io.meshwork.networking.multiformats.Multiaddr;

/** The built-in {@link AddressGrouping}s, as an enum so configs print them by name. */
enum StandardGrouping implements AddressGrouping {
  NETWORK {
    @Override
    public AddressGroup groupOf(Multiaddr address) {
      return AddressGrouping.networkGroup(address, 16, 32);
    }
  },
  LOOPBACK_BY_PORT {
    @Override
    public AddressGroup groupOf(Multiaddr address) {
      return AddressGrouping.loopbackIpAndPort(address)
          .orElseGet(() -> AddressGrouping.networkGroup(address, 16, 32));
    }
  }
}
