package io.meshwork.networking.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random add / good / failed / remove / time sequences on a small book, where slots collide often:
 * every entry sits in exactly the slot its hashes give, the counts match, and one source group
 * never reaches more new buckets than its share.
 */
class AddressBookPropertiesTest {
  private static final int PEERS = 40;
  private static final List<PeerId> IDS =
      IntStream.range(0, PEERS).mapToObj(i -> AddressBookFixtures.randomId(new Random(i))).toList();

  sealed interface Action {}

  record Add(int peer, int group, int sourceGroup) implements Action {}

  record Good(int peer) implements Action {}

  record Failed(int peer) implements Action {}

  record Remove(int peer) implements Action {}

  record Wait(int hours) implements Action {}

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Integer> peer = Arbitraries.integers().between(0, PEERS - 1);
    Arbitrary<Integer> group = Arbitraries.integers().between(0, 11);
    Arbitrary<Action> action =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Combinators.combine(peer, group, group).as(Add::new)),
            net.jqwik.api.Tuple.of(3, peer.map(Good::new)),
            net.jqwik.api.Tuple.of(2, peer.map(Failed::new)),
            net.jqwik.api.Tuple.of(1, peer.map(Remove::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 24 * 40).map(Wait::new)));
    return action.list().ofMaxSize(120);
  }

  @Property(tries = 200)
  void everyEntrySitsInTheSlotItHashesTo(@ForAll("actions") List<Action> actions) {
    AddressBookConfig config =
        new AddressBookConfig(8, 4, 3, 2, 2, 4, Duration.ofDays(30), 5, AddressGrouping.NETWORK);
    ManualClock clock = new ManualClock();
    AddressBook book =
        new AddressBook(config, AddressBookFixtures.secret(4), clock, new SplittableRandom(2));
    Map<PeerId, Integer> sourceOf = new HashMap<>();

    for (Action action : actions) {
      if (action instanceof Add add) {
        PeerId id = IDS.get(add.peer());
        String address = (10 + add.group()) + ".1.0." + add.peer();
        boolean added =
            book.add(
                new PeerAddresses(id, List.of(AddressBookFixtures.tcp(address))),
                DiscoverySource.DHT,
                Optional.of(AddressBookFixtures.tcp((100 + add.sourceGroup()) + ".5.5.5")));
        if (added && book.get(id).orElseThrow().addresses().size() == 1) {
          sourceOf.put(id, add.sourceGroup());
        }
      } else if (action instanceof Good good) {
        book.good(IDS.get(good.peer()));
      } else if (action instanceof Failed failed) {
        book.attempt(IDS.get(failed.peer()));
        book.failed(IDS.get(failed.peer()));
      } else if (action instanceof Remove remove) {
        book.remove(IDS.get(remove.peer()));
      } else if (action instanceof Wait wait) {
        clock.advance(Duration.ofHours(wait.hours()));
      }
      book.checkInvariants();
    }

    List<AddressBookEntry> entries = book.entries();
    assertThat(entries).hasSize(book.newCount() + book.triedCount());
    assertThat(entries.stream().filter(AddressBookEntry::tried).count())
        .isEqualTo(book.triedCount());
    Set<AddressBook.Slot> slots = new HashSet<>();
    Map<Integer, Set<Integer>> newBucketsBySource = new HashMap<>();
    for (AddressBookEntry entry : entries) {
      AddressBook.Slot slot = book.slotOf(entry.peerId()).orElseThrow();
      assertThat(slots.add(slot)).as("one entry per slot").isTrue();
      assertThat(slot.position()).isBetween(0, config.bucketSize() - 1);
      if (!slot.tried()) {
        newBucketsBySource
            .computeIfAbsent(sourceOf.get(entry.peerId()), s -> new HashSet<>())
            .add(slot.bucket());
      }
    }
    for (Set<Integer> buckets : newBucketsBySource.values()) {
      assertThat(buckets).hasSizeLessThanOrEqualTo(config.newBucketsPerSourceGroup());
    }
    for (boolean newOnly : new boolean[] {false, true}) {
      Optional<AddressBookEntry> chosen = book.select(newOnly, e -> e.failures() == 0);
      chosen.ifPresent(e -> assertThat(e.failures()).isZero());
      if (newOnly) {
        chosen.ifPresent(e -> assertThat(e.tried()).isFalse());
      }
    }
  }
}
