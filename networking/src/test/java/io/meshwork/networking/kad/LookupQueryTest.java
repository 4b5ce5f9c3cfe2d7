package io.meshwork.networking.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.crypto.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LookupQueryTest {
  private static final long MS = 1_000_000L;
  private final Random random = new Random(3);
  private final KadConfig config = KadConfig.defaults();
  private final PeerId local = KadTestPeers.randomId(random);

  @Test
  void keepsAtMostAlphaRequestsInFlight() {
    List<KadPeer> seeds = peers(10);
    LookupQuery query = LookupQuery.findNode(new byte[] {1}, local, seeds, config, 0);
    LookupQuery.Step step = query.poll(0);
    assertThat(step.send()).hasSize(3);
    assertThat(query.poll(1).send()).isEmpty();
    query.onResponse(step.send().get(0).peer().id(), LookupResponse.closer(List.of()), 2);
    assertThat(query.poll(2).send()).hasSize(1);
  }

  @Test
  void asksTheClosestCandidatesFirst() {
    List<KadPeer> seeds = peers(10);
    byte[] key = {7};
    LookupQuery query = LookupQuery.findNode(key, local, seeds, config, 0);
    List<KadPeer> expected =
        seeds.stream()
            .sorted(Comparator.comparing(p -> p.key().distanceTo(KadKey.of(key))))
            .limit(3)
            .toList();
    assertThat(query.poll(0).send().stream().map(LookupQuery.Request::peer))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void convergesWhenAllKnownPeersHaveAnswered() {
    List<KadPeer> seeds = peers(4);
    LookupQuery query = LookupQuery.findNode(new byte[] {1}, local, seeds, config, 0);
    long now = 0;
    while (!query.isFinished()) {
      LookupQuery.Step step = query.poll(now);
      for (LookupQuery.Request request : step.send()) {
        query.onResponse(request.peer().id(), LookupResponse.closer(seeds), now + MS);
      }
      now += MS;
    }
    LookupResult result = query.result().orElseThrow();
    assertThat(result.termination()).isEqualTo(LookupResult.Termination.CONVERGED);
    assertThat(result.closestPeers()).containsExactlyInAnyOrderElementsOf(seeds);
    assertThat(result.requestsSent()).isEqualTo(4);
    assertThat(result.rounds()).isEqualTo(1);
  }

  @Test
  void timesOutSilentPeersReportsThemAndMovesOn() {
    KadConfig config = this.config.toBuilder().stallTimeout(this.config.requestTimeout()).build();
    List<KadPeer> seeds = peers(5);
    LookupQuery query = LookupQuery.findNode(new byte[] {1}, local, seeds, config, 0);
    List<LookupQuery.Request> first = query.poll(0).send();
    assertThat(query.nextDeadlineNanos()).contains(config.requestTimeout().toNanos());
    LookupQuery.Step afterTimeout = query.poll(config.requestTimeout().toNanos());
    assertThat(afterTimeout.timedOut())
        .containsExactlyElementsOf(
            first.stream().map(r -> r.peer().id()).sorted(byKey(query)).toList());
    assertThat(afterTimeout.send()).hasSize(2); // the two remaining seeds
    // a late answer from a timed-out peer is ignored
    query.onResponse(first.get(0).peer().id(), LookupResponse.closer(peers(3)), 0);
    for (LookupQuery.Request request : afterTimeout.send()) {
      query.onResponse(request.peer().id(), LookupResponse.closer(List.of()), 0);
    }
    LookupQuery.Step end = query.poll(config.requestTimeout().toNanos() + 1);
    assertThat(end.finished()).isTrue();
    LookupResult result = query.result().orElseThrow();
    assertThat(result.failures()).isEqualTo(3);
    assertThat(result.closestPeers()).hasSize(2);
  }

  @Test
  void stopsAtTheQueryTimeoutWhileRequestsAreOutstanding() {
    KadConfig slow =
        config.toBuilder()
            .stallTimeout(Duration.ofSeconds(10))
            .queryTimeout(Duration.ofSeconds(5))
            .build();
    LookupQuery query = LookupQuery.findNode(new byte[] {1}, local, peers(3), slow, 0);
    assertThat(query.poll(0).send()).hasSize(3);
    long deadline = query.nextDeadlineNanos().orElseThrow();
    assertThat(deadline).isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(query.poll(deadline - 1).finished()).isFalse();
    assertThat(query.poll(deadline).finished()).isTrue();
    assertThat(query.result().orElseThrow().termination())
        .isEqualTo(LookupResult.Termination.TIMED_OUT);
    assertThat(query.nextDeadlineNanos()).isEmpty();
  }

  @Test
  void stalledRequestsFreeTheirSlotButTheirAnswersStillCount() {
    List<KadPeer> seeds = peers(4);
    LookupQuery query = LookupQuery.findNode(new byte[] {1}, local, seeds, config, 0);
    List<LookupQuery.Request> first = query.poll(0).send();
    long stall = config.stallTimeout().toNanos();
    assertThat(query.nextDeadlineNanos()).contains(stall);
    List<LookupQuery.Request> second = query.poll(stall).send();
    assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
    KadPeer learned = KadTestPeers.randomPeer(random);
    query.onResponse(first.get(0).peer().id(), LookupResponse.closer(List.of(learned)), stall + 1);
    assertThat(query.poll(stall + 1).send()).extracting(r -> r.peer().id()).contains(learned.id());
  }

  @Test
  void distrustsAPeerWhoseReferralsKeepFailingAndDropsItsOtherReferrals() {
    KadConfig config = this.config.toBuilder().alpha(1).build();
    LookupQuery query = LookupQuery.findNode(new byte[] {1}, local, peers(1), config, 0);
    PeerId liar = query.poll(0).send().get(0).peer().id();
    List<KadPeer> madeUp = peers(10);
    query.onResponse(liar, LookupResponse.closer(madeUp), 0);
    long now = 0;
    List<PeerId> distrusted = new ArrayList<>();
    int asked = 0;
    while (!query.isFinished()) {
      LookupQuery.Step step = query.poll(now);
      asked += step.send().size();
      distrusted.addAll(step.distrusted());
      now = query.nextDeadlineNanos().orElse(now);
    }
    assertThat(distrusted).containsExactly(liar);
    // stalls free slots, so a few more are asked before the third referral times out
    assertThat(asked).isBetween(LookupQuery.MAX_FAILED_REFERRALS, madeUp.size() - 1);
    assertThat(query.result().orElseThrow().closestPeers())
        .extracting(KadPeer::id)
        .containsExactly(liar);
  }

  @Test
  void endsStarvedWithoutSeeds() {
    LookupQuery query = LookupQuery.findNode(new byte[] {1}, local, List.of(), config, 0);
    assertThat(query.poll(0).finished()).isTrue();
    assertThat(query.result().orElseThrow().termination())
        .isEqualTo(LookupResult.Termination.STARVED);
  }

  @Test
  void ignoresOurselvesAndCapsPeersTakenFromOneResponse() {
    LookupQuery query = LookupQuery.findNode(new byte[] {1}, local, peers(1), config, 0);
    PeerId seed = query.poll(0).send().get(0).peer().id();
    List<KadPeer> flood = new ArrayList<>(peers(100));
    flood.add(0, KadTestPeers.peerAt(local, "10.0.0.1"));
    query.onResponse(seed, LookupResponse.closer(flood), 0);
    int asked = 0;
    long now = 0;
    while (!query.isFinished()) {
      LookupQuery.Step step = query.poll(now);
      for (LookupQuery.Request request : step.send()) {
        assertThat(request.peer().id()).isNotEqualTo(local);
        asked++;
        query.onResponse(request.peer().id(), LookupResponse.closer(List.of()), now);
      }
    }
    assertThat(asked).isEqualTo(config.k() - 1); // k from the flood, ourselves among them
  }

  @Test
  void findPeerStopsWhenTheTargetIsReported() {
    List<KadPeer> seeds = peers(5);
    KadPeer target = KadTestPeers.randomPeer(random);
    LookupQuery query = LookupQuery.findPeer(target.id(), local, seeds, config, 0);
    LookupQuery.Request request = query.poll(0).send().get(0);
    query.onResponse(request.peer().id(), LookupResponse.closer(List.of(target)), 5 * MS);
    LookupResult result = query.result().orElseThrow();
    assertThat(result.termination()).isEqualTo(LookupResult.Termination.SATISFIED);
    assertThat(result.foundPeer()).contains(target);
    assertThat(result.rounds()).isEqualTo(1);
    assertThat(result.elapsed()).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void getValueSelectsTheBestRecordAndNamesOutdatedPeers() {
    RecordValidator newest = new SequenceValidator();
    List<KadPeer> seeds = peers(3);
    byte[] key = "/seq/x".getBytes(StandardCharsets.UTF_8);
    LookupQuery query =
        LookupQuery.getValue(key, newest, local, seeds, config.toBuilder().quorum(3).build(), 0);
    List<LookupQuery.Request> sent = query.poll(0).send();
    query.onResponse(sent.get(0).peer().id(), withValue("2"), 1);
    query.onResponse(sent.get(1).peer().id(), withValue("not a number"), 1); // invalid: ignored
    query.onResponse(sent.get(2).peer().id(), withValue("5"), 1);
    assertThat(query.isFinished()).isFalse();
    LookupQuery.Step step = query.poll(2);
    assertThat(step.finished()).isTrue(); // nobody else to ask
    LookupResult result = query.result().orElseThrow();
    assertThat(result.value()).hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("5"));
    assertThat(result.outdatedPeers()).containsExactly(sent.get(0).peer().id());
  }

  @Test
  void getProvidersStopsOnceEnoughProvidersAreKnown() {
    LookupQuery query = LookupQuery.getProviders(new byte[] {9}, 2, local, peers(5), config, 0);
    List<LookupQuery.Request> sent = query.poll(0).send();
    List<KadPeer> providers = peers(3);
    query.onResponse(
        sent.get(0).peer().id(),
        new LookupResponse(List.of(), Optional.empty(), providers.subList(0, 1)),
        1);
    assertThat(query.isFinished()).isFalse();
    query.onResponse(
        sent.get(1).peer().id(), new LookupResponse(List.of(), Optional.empty(), providers), 1);
    assertThat(query.result().orElseThrow().providers())
        .containsExactly(providers.get(0), providers.get(1));
  }

  @Test
  void lookupsIn200NodesFindTheirTargetDespiteUnresponsiveAndLyingPeers() {
    KadConfig quick =
        config.toBuilder()
            .requestTimeout(Duration.ofSeconds(2))
            .stallTimeout(Duration.ofMillis(500))
            .queryTimeout(Duration.ofSeconds(30))
            .build();
    SimulatedKadNetwork network =
        new SimulatedKadNetwork(200, quick, 11, NamespacedValidator.standard());
    // each honest node knows half the network, so some of the target's neighbours know it
    network.fillTablesRandomly(100);
    for (int i = 0; i < 200; i += 5) {
      network.unresponsive.add(network.peers.get(i).id()); // 20% never answer
      network.liars.add(network.peers.get(i + 1).id()); // 20% answer with peers that do not exist
    }
    long silentKnownBefore = silentPeersKnownByHonestNodes(network);
    Random r = new Random(5);
    int found = 0;
    int lookups = 0;
    long worst = 0;
    for (int i = 0; i < 60; i++) {
      KadPeer origin = network.peers.get(2 + 5 * r.nextInt(40)); // an honest node
      KadPeer target = network.peers.get(3 + 5 * r.nextInt(40)); // an honest node
      if (origin.equals(target)) {
        continue;
      }
      lookups++;
      RoutingTable table = network.node(origin.id()).table;
      LookupQuery query =
          LookupQuery.findPeer(
              target.id(), origin.id(), table.closest(KadKey.ofPeer(target.id()), 20), quick, 0);
      LookupResult result = network.run(origin.id(), query, 0);
      worst = Math.max(worst, result.elapsed().toNanos());
      if (result.foundPeer().isPresent()) {
        found++;
        assertThat(result.foundPeer().get()).isEqualTo(target);
      }
    }
    assertThat(found).isEqualTo(lookups);
    assertThat(worst).isLessThan(quick.queryTimeout().toNanos());
    // silent peers that timed out were dropped from the asking nodes' tables
    assertThat(silentPeersKnownByHonestNodes(network)).isLessThan(silentKnownBefore);
  }

  private static long silentPeersKnownByHonestNodes(SimulatedKadNetwork network) {
    return network.peers.stream()
        .filter(p -> !network.unresponsive.contains(p.id()))
        .mapToLong(
            p ->
                network.node(p.id()).table.peers().stream()
                    .filter(q -> network.unresponsive.contains(q.id()))
                    .count())
        .sum();
  }

  @Test
  void closestPeerLookupsConvergeOnTheTrueClosestHonestPeers() {
    SimulatedKadNetwork network =
        new SimulatedKadNetwork(200, config, 13, NamespacedValidator.standard());
    network.fillTablesRandomly(60);
    for (int i = 0; i < 200; i += 10) {
      network.liars.add(network.peers.get(i).id());
    }
    Random r = new Random(8);
    for (int i = 0; i < 20; i++) {
      KadPeer origin = network.peers.get(1 + 10 * r.nextInt(20));
      byte[] key = new byte[16];
      r.nextBytes(key);
      KadKey target = KadKey.of(key);
      LookupQuery query =
          LookupQuery.findNode(
              key, origin.id(), network.node(origin.id()).table.closest(target, 20), config, 0);
      LookupResult result = network.run(origin.id(), query, 0);
      assertThat(result.termination()).isEqualTo(LookupResult.Termination.CONVERGED);
      List<PeerId> trueClosest =
          network.peers.stream()
              .filter(p -> !p.id().equals(origin.id()))
              .sorted(Comparator.comparing(p -> p.key().distanceTo(target)))
              .limit(5)
              .map(KadPeer::id)
              .toList();
      assertThat(result.closestPeers().stream().map(KadPeer::id).toList()).containsAll(trueClosest);
    }
  }

  private static Comparator<PeerId> byKey(LookupQuery query) {
    return Comparator.comparing(id -> KadKey.ofPeer(id).distanceTo(query.target()));
  }

  private static LookupResponse withValue(String value) {
    return new LookupResponse(
        List.of(), Optional.of(value.getBytes(StandardCharsets.UTF_8)), List.of());
  }

  private List<KadPeer> peers(int count) {
    List<KadPeer> peers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      peers.add(KadTestPeers.randomPeer(random));
    }
    return peers;
  }

  /** Test namespace "seq": values are decimal numbers, the highest wins. */
  static final class SequenceValidator implements RecordValidator {
    @Override
    public void validate(byte[] key, byte[] value) {
      try {
        Long.parseLong(new String(value, StandardCharsets.UTF_8));
      } catch (NumberFormatException e) {
        throw new InvalidRecordException("not a sequence number");
      }
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
      int best = 0;
      for (int i = 1; i < values.size(); i++) {
        if (number(values.get(i)) > number(values.get(best))) {
          best = i;
        }
      }
      return best;
    }

    private static long number(byte[] value) {
      return Long.parseLong(new String(value, StandardCharsets.UTF_8));
    }

    static NamespacedValidator namespaced() {
      return NamespacedValidator.standard().with("seq", new SequenceValidator());
    }
  }
}
