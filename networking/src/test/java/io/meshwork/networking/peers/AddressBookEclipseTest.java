package io.meshwork.networking.peers;

import static io.meshwork.networking.peers.AddressBookFixtures.randomId;
import static io.meshwork.networking.peers.AddressBookFixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.MultiaddrComponent;
import io.meshwork.networking.multiformats.MultiaddrProtocol;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The eclipse property (Heilman et al. 2015, countermeasure 1 as addrman implements it): one source
 * group, however much it announces, reaches only its own share of the new table.
 */
class AddressBookEclipseTest {
  private static final int FLOOD = 100_000;
  private static final int HONEST_GROUPS = 50;
  private static final int HONEST_PER_GROUP = 20;

  private final Random random = new Random(5);
  private final ManualClock clock = new ManualClock();
  private final AddressBook book =
      new AddressBook(AddressBookConfig.defaults(), secret(9), clock, new SplittableRandom(3));

  private static Multiaddr ip4(int a, int b, int c, int d) {
    return Multiaddr.of(
        List.of(
            new MultiaddrComponent(
                MultiaddrProtocol.IP4, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}),
            MultiaddrComponent.parse(MultiaddrProtocol.TCP, "4001")));
  }

  /** Honest peers in 50 /16s, each told about by a peer of its own network. */
  private Set<PeerId> addHonestPeers() {
    Set<PeerId> honest = new HashSet<>();
    for (int g = 0; g < HONEST_GROUPS; g++) {
      Optional<Multiaddr> source = Optional.of(ip4(100 + g, 1, 0, 1));
      for (int i = 0; i < HONEST_PER_GROUP; i++) {
        PeerId peer = randomId(random);
        if (book.add(
            new PeerAddresses(peer, List.of(ip4(100 + g, 1 + i, 0, 1))),
            DiscoverySource.PEX,
            source)) {
          honest.add(peer);
        }
      }
    }
    return honest;
  }

  /** 100k peers claiming addresses anywhere, all announced from inside 66.66.0.0/16. */
  private void flood() {
    for (int i = 0; i < FLOOD; i++) {
      Multiaddr claimed = ip4(1 + random.nextInt(223), random.nextInt(256), 7, 7);
      Optional<Multiaddr> source = Optional.of(ip4(66, 66, i % 256, 1 + i % 200));
      book.add(new PeerAddresses(randomId(random), List.of(claimed)), DiscoverySource.DHT, source);
    }
  }

  @Test
  void aFloodFromOneSourceGroupCannotPushOutHonestAddresses() {
    Set<PeerId> honest = addHonestPeers();
    assertThat(honest).hasSizeGreaterThan(HONEST_GROUPS * HONEST_PER_GROUP * 9 / 10);

    flood();

    for (PeerId peer : honest) {
      assertThat(book.get(peer)).as("honest %s survives", peer).isPresent();
    }
    int config = AddressBookConfig.defaults().newBucketsPerSourceGroup();
    assertThat(book.newCount())
        .as("the flood fills at most its own buckets")
        .isLessThanOrEqualTo(honest.size() + config * AddressBookConfig.defaults().bucketSize());
    book.checkInvariants();

    int honestSelected = 0;
    for (int i = 0; i < 1000; i++) {
      if (honest.contains(book.select(false, e -> true).orElseThrow().peerId())) {
        honestSelected++;
      }
    }
    // Selection picks a bucket first: the flood's 64 buckets against the honest peers' hundreds.
    assertThat(honestSelected).isGreaterThan(500);
  }

  @Test
  void honestAddressesArrivingAfterAFloodStillFindRoom() {
    flood();

    Set<PeerId> honest = addHonestPeers();

    // Only honest entries hashed into one of the flood's 64 of 1024 buckets can be refused.
    assertThat(honest).hasSizeGreaterThan(HONEST_GROUPS * HONEST_PER_GROUP * 8 / 10);
    int honestSelected = 0;
    for (int i = 0; i < 1000; i++) {
      if (honest.contains(book.select(false, e -> true).orElseThrow().peerId())) {
        honestSelected++;
      }
    }
    assertThat(honestSelected).isGreaterThan(500);
  }
}
