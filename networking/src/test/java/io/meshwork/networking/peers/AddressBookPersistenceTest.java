package io.meshwork.networking.peers;

import static io.meshwork.networking.peers.AddressBookFixtures.at;
import static io.meshwork.networking.peers.AddressBookFixtures.from;
import static io.meshwork.networking.peers.AddressBookFixtures.randomId;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.crypto.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class AddressBookPersistenceTest {
  private final Random ids = new Random(11);
  private final ManualClock clock = new ManualClock();
  private final RecordingStore store = new RecordingStore(PeerDataStore.inMemory());

  /** Counts the batches written through it. */
  static class RecordingStore implements PeerDataStore {
    final PeerDataStore delegate;
    final List<Batch> batches = new ArrayList<>();

    RecordingStore(PeerDataStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
      return delegate.get(key);
    }

    @Override
    public void forEachWithPrefix(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
      delegate.forEachWithPrefix(prefix, visitor);
    }

    @Override
    public void write(Batch batch) {
      batches.add(batch);
      delegate.write(batch);
    }

    int stored(byte[] prefix) {
      int[] count = {0};
      delegate.forEachWithPrefix(prefix, (k, v) -> count[0]++);
      return count[0];
    }
  }

  private AddressBook load() {
    return AddressBook.load(store, AddressBookConfig.defaults(), clock, new SplittableRandom(1));
  }

  private List<PeerId> fill(AddressBook book, int count) {
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PeerId peer = randomId(ids);
      if (book.add(
          at(peer, (20 + i % 100) + "." + i / 100 + ".3.4"),
          DiscoverySource.GOSSIP_PX,
          from("7.7." + i % 9 + ".1"))) {
        peers.add(peer);
      }
    }
    return peers;
  }

  @Test
  void reloadsEveryEntryIntoTheSameSlots() {
    AddressBook book = load();
    List<PeerId> peers = fill(book, 300);
    peers.subList(0, 40).forEach(book::good);
    book.attempt(peers.get(50));
    book.failed(peers.get(50));
    book.flush(store);

    AddressBook reloaded = load();

    assertThat(reloaded.entries()).containsExactlyInAnyOrderElementsOf(book.entries());
    for (PeerId peer : peers) {
      assertThat(reloaded.slotOf(peer)).isEqualTo(book.slotOf(peer));
    }
    assertThat(reloaded.triedCount()).isEqualTo(book.triedCount());
    assertThat(reloaded.get(peers.get(50)).orElseThrow().failures()).isEqualTo(1);
    assertThat(reloaded.pendingWrites()).isZero();
    reloaded.checkInvariants();
  }

  @Test
  void createsTheSecretOnceAndKeepsIt() {
    load();
    byte[] secret = store.get(PeerDataStore.SECRET_KEY).orElseThrow();

    load();

    assertThat(secret).hasSize(32);
    assertThat(store.get(PeerDataStore.SECRET_KEY))
        .hasValueSatisfying(s -> assertThat(s).isEqualTo(secret));
  }

  @Test
  void aBookWithAnotherSecretPlacesTheSameEntriesElsewhere() {
    AddressBook book = load();
    List<PeerId> peers = fill(book, 200);
    book.flush(store);
    RecordingStore other = new RecordingStore(PeerDataStore.inMemory());
    store.forEachWithPrefix(
        PeerDataStore.ADDRESS_PREFIX, (k, v) -> other.write(new PeerDataStore.Batch().put(k, v)));

    AddressBook elsewhere =
        AddressBook.load(other, AddressBookConfig.defaults(), clock, new SplittableRandom(1));

    long moved =
        peers.stream()
            .filter(p -> elsewhere.slotOf(p).isPresent())
            .filter(p -> !elsewhere.slotOf(p).equals(book.slotOf(p)))
            .count();
    assertThat(moved).isGreaterThan(150);
  }

  @Test
  void flushWritesOnlyChangedEntriesInOneBatch() {
    AddressBook book = load();
    List<PeerId> peers = fill(book, 100);
    book.flush(store);
    int batchesBefore = store.batches.size();

    book.good(peers.get(0));
    book.remove(peers.get(1));
    book.flush(store);

    assertThat(store.batches).hasSize(batchesBefore + 1);
    PeerDataStore.Batch batch = store.batches.get(store.batches.size() - 1);
    assertThat(batch.operations()).hasSize(2);
    assertThat(store.stored(PeerDataStore.ADDRESS_PREFIX)).isEqualTo(peers.size() - 1);
    book.flush(store);
    assertThat(store.batches).as("nothing changed, nothing written").hasSize(batchesBefore + 1);
  }

  @Test
  void flushAfterAFailedWriteRetriesTheSameChanges() {
    AddressBook book = load();
    fill(book, 10);
    PeerDataStore failing =
        new RecordingStore(store) {
          @Override
          public void write(Batch batch) {
            throw new IllegalStateException("disk full");
          }
        };
    try {
      book.flush(failing);
    } catch (IllegalStateException expected) {
      // the changes stay pending
    }

    book.flush(store);

    assertThat(store.stored(PeerDataStore.ADDRESS_PREFIX)).isEqualTo(10);
  }

  @Test
  void skipsACorruptValueAndDeletesItAtTheNextFlush() {
    AddressBook book = load();
    List<PeerId> peers = fill(book, 20);
    int before = book.entries().size();
    book.flush(store);
    byte[] corruptKey = AddressBookCodec.key(peers.get(3));
    byte[] badPeerKey = PeerDataStore.key(PeerDataStore.ADDRESS_PREFIX, new byte[] {1, 2, 3});
    store.write(
        new PeerDataStore.Batch()
            .put(corruptKey, new byte[] {(byte) 0xff, 0x13, 0x37})
            .put(badPeerKey, new byte[0]));

    AddressBook reloaded = load();

    // With a fresh random bucketing secret each run, one of the 20 can collide and be refused:
    // the count is taken from what the book held.
    int kept = before - 1;
    assertThat(before).isGreaterThanOrEqualTo(18);
    assertThat(reloaded.entries()).hasSize(kept);
    assertThat(reloaded.get(peers.get(3))).isEmpty();
    reloaded.flush(store);
    assertThat(store.get(corruptKey)).isEmpty();
    assertThat(store.get(badPeerKey)).isEmpty();
    assertThat(store.stored(PeerDataStore.ADDRESS_PREFIX)).isEqualTo(kept);
  }

  @Test
  void leavesTheKeysReservedForThePeerManagerAlone() {
    byte[] anchor =
        PeerDataStore.key(PeerDataStore.ANCHOR_PREFIX, "a".getBytes(StandardCharsets.UTF_8));
    byte[] ban = PeerDataStore.key(PeerDataStore.BAN_PREFIX, "b".getBytes(StandardCharsets.UTF_8));
    store.write(new PeerDataStore.Batch().put(anchor, new byte[] {1}).put(ban, new byte[] {2}));
    AddressBook book = load();
    fill(book, 10);
    book.flush(store);

    AddressBook reloaded = load();

    assertThat(reloaded.entries()).hasSize(10);
    assertThat(store.get(anchor)).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
    assertThat(store.get(ban)).hasValueSatisfying(v -> assertThat(v).containsExactly(2));
  }

  @Test
  void entriesPastTheHorizonGiveWayAfterAReload() {
    AddressBook book = load();
    List<PeerId> peers = fill(book, 50);
    book.flush(store);
    clock.advance(Duration.ofDays(40));

    AddressBook reloaded = load();

    assertThat(reloaded.entries()).hasSize(peers.size());
    PeerId peer = peers.get(0);
    AddressBookEntry old = reloaded.get(peer).orElseThrow();
    assertThat(reloaded.info(peer).map(i -> i.isTerrible(clock.instant(), reloaded.config())))
        .contains(true);
    assertThat(old.addresses()).isEqualTo(book.get(peer).orElseThrow().addresses());
  }
}
