package io.meshwork.networking.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressGroupingTest {
  private static AddressGroup network(String address) {
    return AddressGrouping.NETWORK.groupOf(Multiaddr.fromString(address));
  }

  private static AddressGroup loopback(String address) {
    return AddressGrouping.LOOPBACK_BY_PORT.groupOf(Multiaddr.fromString(address));
  }

  @Test
  void groupsIpv4BySlash16() {
    assertThat(network("/ip4/1.2.3.4/tcp/1")).isEqualTo(network("/ip4/1.2.200.9/udp/5/quic-v1"));
    assertThat(network("/ip4/1.2.3.4/tcp/1")).isNotEqualTo(network("/ip4/1.3.3.4/tcp/1"));
    assertThat(network("/ip4/1.2.3.4/tcp/1").kind()).isEqualTo(AddressGroup.Kind.IPV4);
  }

  @Test
  void groupsIpv6BySlash32() {
    assertThat(network("/ip6/2001:db8:1::1/tcp/1"))
        .isEqualTo(network("/ip6/2001:db8:ffff::2/tcp/1"));
    assertThat(network("/ip6/2001:db8::1/tcp/1")).isNotEqualTo(network("/ip6/2001:db9::1/tcp/1"));
  }

  @Test
  void groupsIpv4MappedIpv6AsIpv4() {
    assertThat(network("/ip6/::ffff:1.2.3.4/tcp/1")).isEqualTo(network("/ip4/1.2.9.9/tcp/1"));
  }

  @Test
  void groupsDnsAddressesByName() {
    assertThat(network("/dns4/Boot.Example.org/tcp/1"))
        .isEqualTo(network("/dns4/boot.example.org/tcp/2"));
    assertThat(network("/dns4/a.example.org/tcp/1"))
        .isNotEqualTo(network("/dns4/b.example.org/tcp/1"));
    assertThat(network("/dnsaddr/a.example.org").kind()).isEqualTo(AddressGroup.Kind.DNS);
  }

  @Test
  void putsAddressesWithoutIpOrNameInOneGroup() {
    assertThat(network("/p2p-circuit")).isEqualTo(AddressGroup.other());
  }

  @Test
  void loopbackGroupingGivesEachLocalPortItsOwnGroup() {
    assertThat(loopback("/ip4/127.0.0.1/tcp/4001"))
        .isNotEqualTo(loopback("/ip4/127.0.0.1/tcp/4002"));
    assertThat(loopback("/ip4/127.0.0.1/tcp/4001"))
        .isEqualTo(loopback("/ip4/127.0.0.1/tcp/4001/ws"));
    assertThat(loopback("/ip6/::1/tcp/4001")).isNotEqualTo(loopback("/ip6/::1/tcp/4002"));
    assertThat(loopback("/ip4/127.0.0.1/tcp/4001").kind()).isEqualTo(AddressGroup.Kind.IP_PORT);
  }

  @Test
  void configsNameTheirGrouping() {
    assertThat(AddressBookConfig.loopback().toString()).contains("grouping=LOOPBACK_BY_PORT");
    assertThat(AddressBookConfig.defaults().grouping()).isSameAs(AddressGrouping.NETWORK);
  }

  @Test
  void loopbackGroupingGroupsOtherAddressesByNetwork() {
    assertThat(loopback("/ip4/1.2.3.4/tcp/1")).isEqualTo(network("/ip4/1.2.3.4/tcp/2"));
  }

  @Test
  void routingTableGroupsAreSlash24AndSlash48AndSkipNames() {
    assertThat(
            AddressGroup.of(
                List.of(
                    Multiaddr.fromString("/ip4/1.2.3.4/tcp/1"),
                    Multiaddr.fromString("/ip4/1.2.3.99/tcp/1"),
                    Multiaddr.fromString("/ip4/1.2.4.4/tcp/1"),
                    Multiaddr.fromString("/ip6/2001:db8:1:2::1/tcp/1"),
                    Multiaddr.fromString("/ip6/2001:db8:1:3::1/tcp/1"),
                    Multiaddr.fromString("/dns4/example.org/tcp/1"))))
        .hasSize(3);
  }

  @Test
  void routingAndAddressBookGroupsNeverCompareEqual() {
    Multiaddr address = Multiaddr.fromString("/ip4/1.2.0.0/tcp/1");

    assertThat(AddressGroup.of(List.of(address)))
        .doesNotContain(AddressGrouping.NETWORK.groupOf(address));
  }
}
