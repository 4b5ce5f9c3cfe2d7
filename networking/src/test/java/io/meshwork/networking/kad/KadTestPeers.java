package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.Multihash;
import java.util.List;
import java.util.Random;

/** Random peers for tests: sha2-256 peer ids (cheap, no key generation) and ip4 addresses. */
final class KadTestPeers {
  private KadTestPeers() {}

  static PeerId randomId(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return PeerId.fromBytes(Multihash.sha256Of(seed).toBytes());
  }

  /** A peer with one address in its own /24 (10.a.b.1), so diversity limits never bite. */
  static KadPeer randomPeer(Random random) {
    return new KadPeer(
        randomId(random),
        List.of(
            Multiaddr.fromString(
                "/ip4/10." + random.nextInt(256) + "." + random.nextInt(256) + ".1/tcp/4001")));
  }

  static KadPeer peerAt(PeerId id, String ip4) {
    return new KadPeer(id, List.of(Multiaddr.fromString("/ip4/" + ip4 + "/tcp/4001")));
  }

  /** A random peer whose key falls in bucket {@code index} of {@code table}. */
  static KadPeer peerInBucket(RoutingTable table, int index, Random random) {
    while (true) {
      KadPeer peer = randomPeer(random);
      if (table.bucketIndexOf(peer.id()) == index) {
        return peer;
      }
    }
  }
}
