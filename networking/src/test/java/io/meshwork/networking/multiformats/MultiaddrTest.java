package io.meshwork.networking.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultiaddrTest {
  private static final String PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  @Test
  void encodesIp4TcpLikeTheSpec() {
    // multiaddr spec: /ip4/127.0.0.1/udp/1234 = 04 7f000001 9102 04d2
    assertThat(Multiaddr.fromString("/ip4/127.0.0.1/udp/1234").toBytes())
        .isEqualTo(hex("047f000001910204d2"));
    assertThat(Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001").toBytes())
        .isEqualTo(hex("047f000001060fa1"));
    assertThat(Multiaddr.fromBytes(hex("047f000001060fa1")).toString())
        .isEqualTo("/ip4/127.0.0.1/tcp/4001");
  }

  @Test
  void encodesDnsAndQuicAndWs() {
    Multiaddr addr = Multiaddr.fromString("/dns4/example.com/udp/443/quic-v1");
    assertThat(addr.toBytes()).isEqualTo(hex("360b6578616d706c652e636f6d910201bbcd03"));
    assertThat(Multiaddr.fromString("/dnsaddr/bootstrap.libp2p.io/tcp/443/wss").toString())
        .isEqualTo("/dnsaddr/bootstrap.libp2p.io/tcp/443/wss");
    assertThat(addr.valueOf(MultiaddrProtocol.DNS4)).contains("example.com");
    assertThat(addr.valueOf(MultiaddrProtocol.TCP)).isEmpty();
  }

  @Test
  void rendersIp6Canonically() {
    assertThat(Multiaddr.fromString("/ip6/0:0:0:0:0:0:0:1/tcp/1").toString())
        .isEqualTo("/ip6/::1/tcp/1");
    assertThat(Multiaddr.fromString("/ip6/2001:DB8:0:0:1:0:0:1/tcp/1").toString())
        .isEqualTo("/ip6/2001:db8::1:0:0:1/tcp/1");
    assertThat(Multiaddr.fromString("/ip6/::ffff:1.2.3.4/tcp/1").toString())
        .isEqualTo("/ip6/::ffff:1.2.3.4/tcp/1");
    assertThat(Multiaddr.fromString("/ip6/::/tcp/1").toBytes())
        .isEqualTo(hex("29" + "00".repeat(16) + "060001"));
  }

  @Test
  void readsP2pAsBase58OrCidAndIpfsAsAlias() {
    Multiaddr base58 = Multiaddr.fromString("/ip4/1.2.3.4/tcp/4001/p2p/" + PEER);
    Multiaddr legacy = Multiaddr.fromString("/ip4/1.2.3.4/tcp/4001/ipfs/" + PEER);
    String cid =
        Multibase.encode(
            'b', Cid.v1(Cid.LIBP2P_KEY, Multihash.decode(Base58.decode(PEER))).toBytes());
    Multiaddr fromCid = Multiaddr.fromString("/ip4/1.2.3.4/tcp/4001/p2p/" + cid);
    assertThat(legacy).isEqualTo(base58);
    assertThat(fromCid).isEqualTo(base58);
    assertThat(fromCid.toString()).isEqualTo("/ip4/1.2.3.4/tcp/4001/p2p/" + PEER);
    assertThat(base58.p2pMultihash()).contains(Base58.decode(PEER));
  }

  @Test
  void splitsAndJoinsTheP2pComponent() {
    Multiaddr addr = Multiaddr.fromString("/ip4/1.2.3.4/tcp/4001/p2p/" + PEER);
    Multiaddr bare = addr.withoutP2p();
    assertThat(bare.toString()).isEqualTo("/ip4/1.2.3.4/tcp/4001");
    assertThat(bare.p2pMultihash()).isEmpty();
    assertThat(bare.withP2p(Base58.decode(PEER))).isEqualTo(addr);
    assertThat(addr.withP2p(Base58.decode(PEER))).isEqualTo(addr);
    assertThat(bare.encapsulate(Multiaddr.fromString("/p2p/" + PEER))).isEqualTo(addr);
    Multiaddr relayed = Multiaddr.fromString("/ip4/1.2.3.4/tcp/1/p2p/" + PEER + "/p2p-circuit");
    assertThat(relayed.p2pMultihash()).isEmpty();
  }

  @Test
  void convertsToAndFromSocketAddresses() throws Exception {
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 4001);
    assertThat(Multiaddr.fromSocketAddress(v4).toString()).isEqualTo("/ip4/10.0.0.1/tcp/4001");
    assertThat(Multiaddr.fromSocketAddress(v4).toSocketAddress()).contains(v4);
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 80);
    assertThat(Multiaddr.fromSocketAddress(v6).toString()).isEqualTo("/ip6/::1/tcp/80");
    InetSocketAddress dns =
        Multiaddr.fromString("/dns/example.com/tcp/443").toSocketAddress().get();
    assertThat(dns.isUnresolved()).isTrue();
    assertThat(dns.getHostString()).isEqualTo("example.com");
    assertThat(Multiaddr.fromString("/ip4/1.2.3.4/udp/1/quic-v1").toSocketAddress()).isEmpty();
  }

  @Test
  void rejectsMalformedText() {
    for (String bad :
        new String[] {
          "",
          "/",
          "ip4/1.2.3.4",
          "/ip4",
          "/ip4/1.2.3",
          "/ip4/1.2.3.256",
          "/ip4/01.2.3.4",
          "/ip4/1.2.3.4/tcp/65536",
          "/ip4/1.2.3.4/tcp/-1",
          "/ip4/1.2.3.4/tcp/+1",
          "/ip4/1.2.3.4/foo/1",
          "/ip4/1.2.3.4//tcp/1",
          "/ip6/1:::2",
          "/ip6/1::2::3",
          "/ip6/1:2:3:4:5:6:7",
          "/ip6/12345::",
          "/ip6/example.com",
          "/dns4//tcp/1",
          "/p2p/notbase58!",
          "/p2p/Qm",
          "/p2p/bafybeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe"
        }) {
      assertThatThrownBy(() -> Multiaddr.fromString(bad))
          .as(bad)
          .isInstanceOf(MultiaddrException.class);
    }
  }

  @Test
  void rejectsTruncatedBinary() {
    byte[] full = Multiaddr.fromString("/ip4/1.2.3.4/tcp/4001/p2p/" + PEER).toBytes();
    for (int length = 1; length < full.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(full, length);
      if (length == 5 || length == 8) {
        continue; // these cuts end exactly after a whole component
      }
      assertThatThrownBy(() -> Multiaddr.fromBytes(cut))
          .as("cut at " + length)
          .isInstanceOf(MultiaddrException.class);
    }
  }

  @Test
  void rejectsUnknownProtocolCodesAndBadVarints() {
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("0501")))
        .isInstanceOf(MultiaddrException.class)
        .hasMessageContaining("unknown protocol code 5");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("84007f000001")))
        .isInstanceOf(MultiaddrException.class)
        .hasMessageContaining("varint");
    assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[0]))
        .isInstanceOf(MultiaddrException.class);
  }

  @Test
  void rejectsBadBinaryValues() {
    // dns4 with a '/' in the name, with invalid UTF-8, and a /p2p value that is not a multihash.
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("3603612f62")))
        .isInstanceOf(MultiaddrException.class);
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("3602c328")))
        .isInstanceOf(MultiaddrException.class)
        .hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("a503031205aa")))
        .isInstanceOf(MultiaddrException.class)
        .hasMessageContaining("multihash");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("3600")))
        .isInstanceOf(MultiaddrException.class);
  }
}
