package io.meshwork.networking.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.crypto.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private final Random random = new Random(1);
  private final KadConfig config = KadConfig.defaults();
  private final RoutingTable table = new RoutingTable(KadTestPeers.randomId(random), config, 0);

  @Test
  void rejectsOurselvesAndPeersWithoutAddresses() {
    assertThat(
            table.offer(
                new KadPeer(table.localPeer(), KadTestPeers.randomPeer(random).addresses())))
        .isInstanceOf(RoutingTable.Insert.Rejected.class);
    assertThat(table.offer(new KadPeer(KadTestPeers.randomId(random), List.of())))
        .isInstanceOf(RoutingTable.Insert.Rejected.class);
    assertThat(table.size()).isZero();
  }

  @Test
  void placesPeersInTheBucketOfTheirDistance() {
    KadPeer peer = KadTestPeers.randomPeer(random);
    assertThat(table.offer(peer)).isEqualTo(new RoutingTable.Insert.Added(peer));
    int index = KadKey.ofPeer(peer.id()).distanceTo(table.localKey()).bucketIndex();
    assertThat(table.bucket(index)).containsExactly(peer);
    assertThat(table.offer(peer)).isEqualTo(new RoutingTable.Insert.Updated(peer));
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void fullBucketAsksToCheckTheLeastRecentlySeenPeerAndCachesTheNewcomer() {
    List<KadPeer> first = fillBucket(255);
    table.seen(first.get(0).id()); // first[0] becomes most recently seen, first[1] least
    KadPeer newcomer = KadTestPeers.peerInBucket(table, 255, random);
    RoutingTable.Insert insert = table.offer(newcomer);
    assertThat(insert).isEqualTo(new RoutingTable.Insert.CheckLiveness(newcomer, first.get(1)));
    KadPeer another = KadTestPeers.peerInBucket(table, 255, random);
    assertThat(table.offer(another)).isEqualTo(new RoutingTable.Insert.Cached(another));
    assertThat(table.replacements(255)).containsExactly(newcomer, another);
    assertThat(table.bucket(255)).hasSize(config.k()).doesNotContain(newcomer);
  }

  @Test
  void deadPeerIsEvictedForTheNewestReplacement() {
    List<KadPeer> first = fillBucket(255);
    KadPeer older = KadTestPeers.peerInBucket(table, 255, random);
    KadPeer newer = KadTestPeers.peerInBucket(table, 255, random);
    table.offer(older);
    table.offer(newer);
    assertThat(table.livenessChecked(first.get(0).id(), false)).contains(newer);
    assertThat(table.contains(first.get(0).id())).isFalse();
    assertThat(table.contains(newer.id())).isTrue();
    assertThat(table.replacements(255)).containsExactly(older);
    assertThat(table.size()).isEqualTo(config.k());
  }

  @Test
  void livePeerStaysAndBecomesMostRecentlySeen() {
    List<KadPeer> first = fillBucket(255);
    KadPeer newcomer = KadTestPeers.peerInBucket(table, 255, random);
    table.offer(newcomer);
    assertThat(table.livenessChecked(first.get(0).id(), true)).isEmpty();
    List<KadPeer> bucket = table.bucket(255);
    assertThat(bucket.get(bucket.size() - 1)).isEqualTo(first.get(0));
    // the next newcomer triggers a check of the next least recently seen peer
    KadPeer next = KadTestPeers.peerInBucket(table, 255, random);
    assertThat(table.offer(next))
        .isEqualTo(new RoutingTable.Insert.CheckLiveness(next, first.get(1)));
  }

  @Test
  void removingAnUnresponsivePeerPromotesAReplacement() {
    List<KadPeer> first = fillBucket(254);
    KadPeer cached = KadTestPeers.peerInBucket(table, 254, random);
    table.offer(cached);
    assertThat(table.remove(first.get(5).id())).contains(cached);
    assertThat(table.remove(first.get(5).id())).isEmpty();
    assertThat(table.size()).isEqualTo(config.k());
  }

  @Test
  void limitsPeersPerAddressGroupPerBucketAndPerTable() {
    // go's defaults: 2 per /24 per bucket, 3 per /24 in the table
    List<KadPeer> admitted = new ArrayList<>();
    List<KadPeer> rejected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      KadPeer peer = KadTestPeers.peerAt(KadTestPeers.randomId(random), "192.0.2." + (i + 1));
      if (table.offer(peer) instanceof RoutingTable.Insert.Rejected) {
        rejected.add(peer);
      } else {
        admitted.add(peer);
      }
    }
    assertThat(admitted).hasSize(3);
    assertThat(admitted.stream().map(p -> table.bucketIndexOf(p.id())).distinct().count())
        .as("no bucket holds more than 2 of them")
        .isGreaterThanOrEqualTo(2);
    assertThat(rejected).hasSize(37);
    // once one leaves, another from that group fits
    table.remove(admitted.get(0).id());
    assertThat(table.offer(rejected.get(0))).isNotInstanceOf(RoutingTable.Insert.Rejected.class);
  }

  @Test
  void loopbackConfigurationAdmitsAnyNumberFromOneAddress() {
    RoutingTable loopback =
        new RoutingTable(KadTestPeers.randomId(random), KadConfig.loopback(), 0);
    for (int i = 0; i < 100; i++) {
      loopback.offer(KadTestPeers.peerAt(KadTestPeers.randomId(random), "127.0.0.1"));
    }
    assertThat(loopback.size()).isGreaterThanOrEqualTo(60); // buckets 255..252 cap some at k
  }

  @Test
  void dueBucketsAreRefreshedWithKeysOfTheirPrefixLength() {
    for (int i = 0; i < 200; i++) {
      table.offer(KadTestPeers.randomPeer(random));
    }
    long later = config.refreshInterval().toNanos();
    List<Integer> due = table.cplsDueForRefresh(later);
    assertThat(due).isNotEmpty().startsWith(0).allMatch(cpl -> cpl <= config.maxRefreshCpl());
    for (int cpl : due) {
      byte[] key = table.randomPeerIdWithCpl(cpl, random);
      assertThat(KadKey.of(key).distanceTo(table.localKey()).leadingZeros()).isEqualTo(cpl);
      assertThat(PeerId.fromBytes(key)).isNotNull();
      table.lookupStarted(KadKey.of(key), later);
    }
    assertThat(table.cplsDueForRefresh(later)).isEmpty();
  }

  @Property(tries = 50)
  void closestMatchesASortOfAllPeersAndBucketsStayBounded(
      @ForAll @IntRange(min = 0, max = 400) int count, @ForAll long seed) {
    Random r = new Random(seed);
    RoutingTable t = new RoutingTable(KadTestPeers.randomId(r), KadConfig.defaults(), 0);
    for (int i = 0; i < count; i++) {
      t.offer(KadTestPeers.randomPeer(r));
    }
    int total = 0;
    for (int index = 0; index < 256; index++) {
      List<KadPeer> bucket = t.bucket(index);
      assertThat(bucket.size()).isLessThanOrEqualTo(20);
      for (KadPeer peer : bucket) {
        assertThat(t.bucketIndexOf(peer.id())).isEqualTo(index);
      }
      total += bucket.size();
    }
    assertThat(t.size()).isEqualTo(total);
    KadKey target = KadKey.random(r);
    List<KadPeer> expected =
        t.peers().stream()
            .sorted(Comparator.comparing(p -> p.key().distanceTo(target)))
            .limit(20)
            .toList();
    assertThat(t.closest(target, 20)).containsExactlyElementsOf(expected);
  }

  private List<KadPeer> fillBucket(int index) {
    List<KadPeer> peers = new ArrayList<>();
    for (int i = 0; i < config.k(); i++) {
      KadPeer peer = KadTestPeers.peerInBucket(table, index, random);
      assertThat(table.offer(peer)).isInstanceOf(RoutingTable.Insert.Added.class);
      peers.add(peer);
    }
    return peers;
  }
}
