package io.meshwork.networking.peers;

import static io.meshwork.networking.peers.AddressBookFixtures.at;
import static io.meshwork.networking.peers.AddressBookFixtures.from;
import static io.meshwork.networking.peers.AddressBookFixtures.oneSlot;
import static io.meshwork.networking.peers.AddressBookFixtures.randomId;
import static io.meshwork.networking.peers.AddressBookFixtures.secret;
import static io.meshwork.networking.peers.AddressBookFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AddressBookTest {
  private final Random ids = new Random(1);
  private final ManualClock clock = new ManualClock();

  private AddressBook book(AddressBookConfig config, int secretSeed) {
    return new AddressBook(config, secret(secretSeed), clock, new SplittableRandom(7));
  }

  private AddressBook book() {
    return book(AddressBookConfig.defaults(), 1);
  }

  /** {@code count} peers, each in its own /16, announced by a peer in 10.0.0.0/16. */
  private List<PeerId> addPeers(AddressBook book, int count) {
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PeerId peer = randomId(ids);
      book.add(
          at(peer, (i % 200 + 20) + "." + i / 200 + ".0.1"), DiscoverySource.DHT, from("10.0.0.1"));
      peers.add(peer);
    }
    return peers;
  }

  @Test
  void placesEntriesDeterministicallyForOneSecret() {
    AddressBook first = book();
    List<PeerId> peers = addPeers(first, 300);
    AddressBook second = book();
    ids.setSeed(1);
    addPeers(second, 300);

    assertThat(first.entries()).hasSizeGreaterThan(250);
    for (PeerId peer : peers) {
      assertThat(second.slotOf(peer)).isEqualTo(first.slotOf(peer));
    }
  }

  @Test
  void differentSecretsPlaceEntriesInDifferentBuckets() {
    AddressBook first = book(AddressBookConfig.defaults(), 1);
    List<PeerId> peers = addPeers(first, 300);
    AddressBook second = book(AddressBookConfig.defaults(), 2);
    ids.setSeed(1);
    addPeers(second, 300);

    long sameBucket =
        peers.stream()
            .filter(p -> first.slotOf(p).isPresent() && second.slotOf(p).isPresent())
            .filter(p -> first.slotOf(p).get().bucket() == second.slotOf(p).get().bucket())
            .count();
    // One source group reaches 64 of 1024 buckets under each secret: matches are chance (~1/64).
    assertThat(sameBucket).isLessThan(30);
  }

  @Test
  void oneSourceGroupReachesAtMostItsShareOfNewBuckets() {
    AddressBook book = book();
    Random random = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      String ip = random.nextInt(223) + 1 + "." + random.nextInt(256) + ".1.1";
      book.add(at(randomId(ids), ip), DiscoverySource.DHT, from("66.66." + i % 256 + ".9"));
    }

    Set<Integer> buckets = new HashSet<>();
    for (AddressBookEntry entry : book.entries()) {
      buckets.add(book.slotOf(entry.peerId()).orElseThrow().bucket());
    }
    assertThat(buckets).hasSizeLessThanOrEqualTo(64);
    assertThat(book.newCount()).isLessThanOrEqualTo(64 * 64).isEqualTo(book.entries().size());
    book.checkInvariants();
  }

  @Test
  void keepsTheIncumbentWhenTheSlotIsTakenByAnEntryThatIsNotTerrible() {
    AddressBook book = book(oneSlot(), 1);
    PeerId incumbent = randomId(ids);
    PeerId newcomer = randomId(ids);

    assertThat(book.add(at(incumbent, "1.1.1.1"), DiscoverySource.DHT, from("9.9.9.9"))).isTrue();
    assertThat(book.add(at(newcomer, "2.2.2.2"), DiscoverySource.DHT, from("9.9.9.9"))).isFalse();

    assertThat(book.get(incumbent)).isPresent();
    assertThat(book.get(newcomer)).isEmpty();
  }

  @Test
  void evictsAnEntryNotSeenWithinTheHorizon() {
    AddressBook book = book(oneSlot(), 1);
    PeerId stale = randomId(ids);
    PeerId newcomer = randomId(ids);
    book.add(at(stale, "1.1.1.1"), DiscoverySource.DHT, from("9.9.9.9"));

    clock.advance(Duration.ofDays(31));

    assertThat(book.add(at(newcomer, "2.2.2.2"), DiscoverySource.DHT, from("9.9.9.9"))).isTrue();
    assertThat(book.get(stale)).isEmpty();
    assertThat(book.entries()).extracting(AddressBookEntry::peerId).containsExactly(newcomer);
  }

  @Test
  void evictsAnEntryThatFailedThreeTimesWithoutEverSucceeding() {
    AddressBook book = book(oneSlot(), 1);
    PeerId failing = randomId(ids);
    book.add(at(failing, "1.1.1.1"), DiscoverySource.DHT, from("9.9.9.9"));
    for (int i = 0; i < 2; i++) {
      book.attempt(failing);
      book.failed(failing);
    }
    clock.advance(Duration.ofMinutes(2));
    assertThat(book.add(at(randomId(ids), "2.2.2.2"), DiscoverySource.DHT, from("9.9.9.9")))
        .as("two failures are not yet terrible")
        .isFalse();

    book.attempt(failing);
    book.failed(failing);
    clock.advance(Duration.ofMinutes(2));

    assertThat(book.add(at(randomId(ids), "2.2.2.2"), DiscoverySource.DHT, from("9.9.9.9")))
        .isTrue();
    assertThat(book.get(failing)).isEmpty();
  }

  @Test
  void neverEvictsAnEntryDialledInTheLastMinute() {
    AddressBook book = book(oneSlot(), 1);
    PeerId stale = randomId(ids);
    book.add(at(stale, "1.1.1.1"), DiscoverySource.DHT, from("9.9.9.9"));
    clock.advance(Duration.ofDays(31));
    book.attempt(stale);

    assertThat(book.add(at(randomId(ids), "2.2.2.2"), DiscoverySource.DHT, from("9.9.9.9")))
        .isFalse();
    assertThat(book.get(stale)).isPresent();
  }

  @Test
  void goodMovesAnEntryToTheTriedTable() {
    AddressBook book = book();
    PeerId peer = randomId(ids);
    book.add(at(peer, "1.1.1.1"), DiscoverySource.BOOTSTRAP, Optional.empty());
    book.attempt(peer);
    book.failed(peer);
    book.attempt(peer);

    book.good(peer);

    AddressBookEntry entry = book.get(peer).orElseThrow();
    assertThat(entry.tried()).isTrue();
    assertThat(entry.failures()).isZero();
    assertThat(entry.lastSuccess()).contains(clock.instant());
    assertThat(book.newCount()).isZero();
    assertThat(book.triedCount()).isEqualTo(1);
    book.checkInvariants();
  }

  @Test
  void aTriedCollisionSendsTheIncumbentBackToTheNewTable() {
    AddressBookConfig config =
        new AddressBookConfig(64, 1, 1, 64, 1, 8, Duration.ofDays(30), 10, AddressGrouping.NETWORK);
    AddressBook book = book(config, 1);
    PeerId incumbent = randomId(ids);
    PeerId challenger = randomId(ids);
    book.add(at(incumbent, "1.1.1.1"), DiscoverySource.BOOTSTRAP, Optional.empty());
    book.good(incumbent);
    book.add(at(challenger, "2.2.2.2"), DiscoverySource.BOOTSTRAP, Optional.empty());

    book.good(challenger);

    assertThat(book.get(challenger).orElseThrow().tried()).isTrue();
    AddressBookEntry demoted = book.get(incumbent).orElseThrow();
    assertThat(demoted.tried()).isFalse();
    assertThat(demoted.lastSuccess()).as("keeps its history").isPresent();
    assertThat(book.triedCount()).isEqualTo(1);
    assertThat(book.newCount()).isEqualTo(1);
    book.checkInvariants();
  }

  @Test
  void selectNeverReturnsARejectedEntry() {
    AddressBook book = book();
    List<PeerId> peers = addPeers(book, 200);
    for (PeerId peer : peers.subList(0, 30)) {
      book.good(peer);
    }
    Set<PeerId> rejected = new HashSet<>(peers.subList(0, 190));

    for (int i = 0; i < 500; i++) {
      AddressBookEntry chosen =
          book.select(false, e -> !rejected.contains(e.peerId())).orElseThrow();
      assertThat(rejected).doesNotContain(chosen.peerId());
    }
  }

  @Test
  void selectTerminatesWithNothingWhenEveryEntryIsRejected() {
    AddressBook book = book();
    addPeers(book, 500);

    assertThat(book.select(false, e -> false)).isEmpty();
    assertThat(book.select(true, e -> false)).isEmpty();
    assertThat(book(AddressBookConfig.defaults(), 1).select(false, e -> true)).isEmpty();
  }

  @Test
  void newOnlySelectsOnlyNewEntries() {
    AddressBook book = book();
    List<PeerId> peers = addPeers(book, 100);
    for (PeerId peer : peers.subList(0, 90)) {
      book.good(peer);
    }

    for (int i = 0; i < 300; i++) {
      assertThat(book.select(true, e -> true).orElseThrow().tried()).isFalse();
    }
    // Tried collisions may have sent a few back to new: empty the new table for good.
    book.entries().stream().filter(e -> !e.tried()).forEach(e -> book.remove(e.peerId()));
    assertThat(book.newCount()).isZero();
    assertThat(book.select(true, e -> true)).isEmpty();
    assertThat(book.select(false, e -> true)).isPresent();
  }

  @Test
  void choosesBetweenTheNewAndTriedTablesWithEvenOdds() {
    AddressBook book = book();
    List<PeerId> peers = addPeers(book, 400);
    book.good(peers.get(0));
    clock.advance(Duration.ofHours(1));

    int tried = 0;
    for (int i = 0; i < 2000; i++) {
      tried += book.select(false, e -> true).orElseThrow().tried() ? 1 : 0;
    }
    // One tried entry among 400 still gets about half of the selections, as in addrman.
    assertThat(tried).isBetween(800, 1200);
  }

  @Test
  void failuresLowerTheChanceOfBeingSelected() {
    AddressBook book = book();
    List<PeerId> peers = addPeers(book, 200);
    Set<PeerId> failing = new HashSet<>(peers.subList(0, 100));
    for (PeerId peer : failing) {
      book.failed(peer);
      book.failed(peer);
    }
    clock.advance(Duration.ofHours(1));

    int failingChosen = 0;
    for (int i = 0; i < 4000; i++) {
      if (failing.contains(book.select(false, e -> true).orElseThrow().peerId())) {
        failingChosen++;
      }
    }
    // chance 0.66^2 = 0.44 against 1: well under half of the picks.
    assertThat(failingChosen).isLessThan(4000 * 4 / 10).isGreaterThan(0);
  }

  @Test
  void aRecentDialLowersTheChanceOfBeingSelected() {
    AddressBook book = book();
    List<PeerId> peers = addPeers(book, 100);
    Set<PeerId> dialled = new HashSet<>(peers.subList(0, 50));
    dialled.forEach(book::attempt);

    int dialledChosen = 0;
    for (int i = 0; i < 2000; i++) {
      if (dialled.contains(book.select(false, e -> true).orElseThrow().peerId())) {
        dialledChosen++;
      }
    }
    assertThat(dialledChosen).isLessThan(200);
  }

  @Test
  void mergesNewAddressesOfAKnownPeerKeepingTheFirst() {
    AddressBook book = book();
    PeerId peer = randomId(ids);
    book.add(at(peer, "1.1.1.1"), DiscoverySource.DHT, from("9.9.9.9"));
    AddressGroup group = book.get(peer).orElseThrow().group();

    boolean changed =
        book.add(
            new PeerAddresses(peer, List.of(tcp("2.2.2.2"), tcp("1.1.1.1"))),
            DiscoverySource.IDENTIFY,
            Optional.empty());

    assertThat(changed).isTrue();
    AddressBookEntry entry = book.get(peer).orElseThrow();
    assertThat(entry.addresses()).containsExactly(tcp("1.1.1.1"), tcp("2.2.2.2"));
    assertThat(entry.group()).isEqualTo(group);
    assertThat(entry.source()).isEqualTo(DiscoverySource.DHT);
    assertThat(book.add(at(peer, "2.2.2.2"), DiscoverySource.DHT, Optional.empty())).isFalse();
  }

  @Test
  void keepsAtMostTheConfiguredAddressesPerPeerWithoutP2pSuffixes() {
    AddressBook book = book();
    PeerId peer = randomId(ids);
    List<Multiaddr> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add(Multiaddr.fromString("/ip4/1.1.1." + i + "/tcp/4001/p2p/" + peer.toBase58()));
    }

    book.add(new PeerAddresses(peer, many), DiscoverySource.DHT, from("9.9.9.9"));

    List<Multiaddr> kept = book.get(peer).orElseThrow().addresses();
    assertThat(kept).hasSize(8).allMatch(a -> a.p2pMultihash().isEmpty());
    assertThat(kept.get(0)).isEqualTo(tcp("1.1.1.0"));
  }

  @Test
  void ignoresAPeerWithoutAddresses() {
    AddressBook book = book();

    assertThat(
            book.add(
                new PeerAddresses(randomId(ids), List.of()), DiscoverySource.DHT, from("9.9.9.9")))
        .isFalse();
    assertThat(book.entries()).isEmpty();
  }

  @Test
  void anAttemptFollowedByAFailureCountsOnce() {
    AddressBook book = book();
    PeerId peer = randomId(ids);
    book.add(at(peer, "1.1.1.1"), DiscoverySource.DHT, from("9.9.9.9"));

    book.attempt(peer);
    assertThat(book.get(peer).orElseThrow().lastAttempt()).contains(clock.instant());
    book.failed(peer);
    assertThat(book.get(peer).orElseThrow().failures()).isEqualTo(1);

    book.attempt(peer);
    book.attempt(peer);
    assertThat(book.get(peer).orElseThrow().failures())
        .as("an attempt never reported counts when the next one starts")
        .isEqualTo(2);
  }

  @Test
  void removeForgetsAnEntry() {
    AddressBook book = book();
    List<PeerId> peers = addPeers(book, 10);
    book.good(peers.get(0));

    book.remove(peers.get(0));
    book.remove(peers.get(1));

    assertThat(book.get(peers.get(0))).isEmpty();
    assertThat(book.triedCount()).isZero();
    assertThat(book.newCount()).isEqualTo(8);
    book.checkInvariants();
  }

  @Test
  void ignoresOutcomesForUnknownPeers() {
    AddressBook book = book();
    PeerId stranger = randomId(ids);

    book.attempt(stranger);
    book.failed(stranger);
    book.good(stranger);
    book.remove(stranger);

    assertThat(book.entries()).isEmpty();
    assertThat(book.pendingWrites()).isZero();
  }
}
