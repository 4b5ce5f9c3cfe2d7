package io.meshwork.networking.peers;

import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.Multihash;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Peers, addresses and small configs for address book tests. */
final class AddressBookFixtures {
  private AddressBookFixtures() {}

  /** A sha2-256 peer id from {@code random}: cheap, no key generation. */
  static PeerId randomId(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return PeerId.fromBytes(Multihash.sha256Of(seed).toBytes());
  }

  static Multiaddr tcp(String ip) {
    return Multiaddr.fromString("/ip4/" + ip + "/tcp/4001");
  }

  static PeerAddresses at(PeerId peer, String ip) {
    return new PeerAddresses(peer, List.of(tcp(ip)));
  }

  static Optional<Multiaddr> from(String ip) {
    return Optional.of(tcp(ip));
  }

  static byte[] secret(int seed) {
    byte[] secret = new byte[32];
    new Random(seed).nextBytes(secret);
    return secret;
  }

  /** One new bucket and one tried bucket of one slot each: every entry collides. */
  static AddressBookConfig oneSlot() {
    return new AddressBookConfig(
        1, 1, 1, 1, 1, 8, Duration.ofDays(30), 10, AddressGrouping.NETWORK);
  }
}
