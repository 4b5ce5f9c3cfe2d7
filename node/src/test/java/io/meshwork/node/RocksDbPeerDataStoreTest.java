package io.meshwork.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.Multihash;
import io.meshwork.networking.peers.AddressBook;
import io.meshwork.networking.peers.AddressBookConfig;
import io.meshwork.networking.peers.AddressBookEntry;
import io.meshwork.networking.peers.PeerDataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbPeerDataStoreTest {
  private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private static PeerId peer(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return PeerId.fromBytes(Multihash.sha256Of(seed).toBytes());
  }

  @Test
  void anAddressBookSurvivesClosingAndReopeningTheDatabase() {
    Random random = new Random(1);
    List<PeerId> peers = new ArrayList<>();
    List<AddressBookEntry> before;
    List<AddressBook.Slot> slots = new ArrayList<>();
    try (RocksDbPeerDataStore store = RocksDbPeerDataStore.open(dir.resolve("peers"))) {
      AddressBook book =
          AddressBook.load(store, AddressBookConfig.defaults(), clock, new SplittableRandom(1));
      for (int i = 0; i < 100; i++) {
        PeerId id = peer(random);
        Multiaddr address = Multiaddr.fromString("/ip4/" + (20 + i) + ".1.2.3/tcp/4001");
        if (book.add(
            new PeerAddresses(id, List.of(address)),
            DiscoverySource.DHT,
            Optional.of(Multiaddr.fromString("/ip4/9.9.9.9/tcp/1")))) {
          peers.add(id);
        }
      }
      peers.subList(0, 10).forEach(book::good);
      book.flush(store);
      before = book.entries();
      peers.forEach(p -> slots.add(book.slotOf(p).orElseThrow()));
    }

    try (RocksDbPeerDataStore store = RocksDbPeerDataStore.open(dir.resolve("peers"))) {
      AddressBook reloaded =
          AddressBook.load(store, AddressBookConfig.defaults(), clock, new SplittableRandom(2));

      assertThat(reloaded.entries()).containsExactlyInAnyOrderElementsOf(before);
      assertThat(reloaded.triedCount()).isEqualTo(10);
      for (int i = 0; i < peers.size(); i++) {
        assertThat(reloaded.slotOf(peers.get(i))).contains(slots.get(i));
      }
    }
  }

  @Test
  void appliesPutsAndDeletesOfOneBatchAndScansByPrefix() {
    byte[] kept = PeerDataStore.key(PeerDataStore.BAN_PREFIX, new byte[] {1});
    byte[] deleted = PeerDataStore.key(PeerDataStore.BAN_PREFIX, new byte[] {2});
    byte[] other = PeerDataStore.key(PeerDataStore.ANCHOR_PREFIX, new byte[] {3});
    try (RocksDbPeerDataStore store = RocksDbPeerDataStore.open(dir)) {
      store.write(
          new PeerDataStore.Batch()
              .put(kept, new byte[] {7})
              .put(deleted, new byte[] {8})
              .put(other, new byte[] {9}));
      store.write(new PeerDataStore.Batch().delete(deleted));

      List<byte[]> bans = new ArrayList<>();
      store.forEachWithPrefix(PeerDataStore.BAN_PREFIX, (k, v) -> bans.add(v));

      assertThat(bans).containsExactly(new byte[] {7});
      assertThat(store.get(deleted)).isEmpty();
      assertThat(store.get(other)).hasValueSatisfying(v -> assertThat(v).containsExactly(9));
    }
  }
}
