package io.meshwork.networking.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.peers.OutboundPlanner.Action;
import io.meshwork.networking.peers.OutboundPlanner.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The planner in virtual time, against a fake view of the host's connections. */
class OutboundPlannerTest {
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration BACKOFF = Duration.ofSeconds(10);
  private final ManualClock clock = new ManualClock();
  private final PeerId self = DialBackoffTest.newPeer();
  private final PeerManagerConfig config =
      PeerManagerConfig.defaults()
          .withTargetOutbound(4)
          .withIntervals(Duration.ofSeconds(30), Duration.ofMinutes(5));
  private final AddressBook book =
      new AddressBook(config.book(), new byte[32], clock, new SplittableRandom(1));
  private final BanList bans = new BanList(64, clock);
  private final DialBackoff backoff =
      new DialBackoff(
          BACKOFF,
          config.backoffMax(),
          DialBackoff.Jitter.FULL,
          64,
          clock,
          new SplittableRandom(2));
  private final FakeView view = new FakeView();
  private int nextHost = 1;

  /** Connections as a test sets them up. */
  private static final class FakeView implements OutboundPlanner.ConnectionView {
    final Map<PeerId, OutboundPlanner.Outbound> outbound = new LinkedHashMap<>();
    final Set<PeerId> inbound = new HashSet<>();

    @Override
    public List<OutboundPlanner.Outbound> outbound() {
      return List.copyOf(outbound.values());
    }

    @Override
    public boolean isConnected(PeerId peer) {
      return outbound.containsKey(peer) || inbound.contains(peer);
    }
  }

  private OutboundPlanner planner(Anchors anchors, List<PeerAddresses> bootstrap) {
    return new OutboundPlanner(config, self, book, bans, backoff, anchors, bootstrap);
  }

  private OutboundPlanner planner() {
    return planner(new Anchors(config.anchors()), List.of());
  }

  /** A peer in its own /16 (the default grouping). */
  private PeerAddresses peerInOwnGroup() {
    int n = nextHost++;
    return new PeerAddresses(
        DialBackoffTest.newPeer(),
        List.of(Multiaddr.fromString("/ip4/" + (n % 200 + 20) + "." + n / 200 + ".0.1/tcp/4001")));
  }

  private PeerAddresses peerIn(String network) {
    int n = nextHost++;
    return new PeerAddresses(
        DialBackoffTest.newPeer(),
        List.of(
            Multiaddr.fromString(
                "/ip4/" + network + "." + (n / 250) + "." + (n % 250 + 1) + "/tcp/4001")));
  }

  private PeerAddresses learned(PeerAddresses peer) {
    book.add(peer, DiscoverySource.DHT, Optional.empty());
    return peer;
  }

  private static List<Action.Dial> dials(List<Action> actions) {
    return actions.stream()
        .filter(a -> a instanceof Action.Dial)
        .map(a -> (Action.Dial) a)
        .toList();
  }

  private List<Action> tick(OutboundPlanner planner) {
    clock.advance(TICK);
    return planner.tick(clock.instant(), view);
  }

  /** Every dial of {@code actions} succeeds as an outbound connection. */
  private void connectAll(OutboundPlanner planner, List<Action> actions) {
    for (Action.Dial dial : dials(actions)) {
      view.outbound.put(
          dial.peer(), new OutboundPlanner.Outbound(dial.peer(), dial.address(), clock.instant()));
      planner.outboundConnected(dial.peer(), dial.address());
    }
  }

  @Test
  void fillsUpToTheOutboundTargetFromTheBook() {
    for (int i = 0; i < 20; i++) {
      learned(peerInOwnGroup());
    }
    OutboundPlanner planner = planner();

    List<Action> first = tick(planner);
    assertThat(dials(first)).hasSize(4).allMatch(d -> d.purpose() == Purpose.OUTBOUND);
    assertThat(dials(tick(planner))).as("dials in flight count towards the target").isEmpty();
    connectAll(planner, first);
    assertThat(dials(tick(planner))).isEmpty();

    view.outbound.remove(dials(first).get(0).peer());
    assertThat(dials(tick(planner))).hasSize(1);
  }

  @Test
  void neverDialsTwoPeersOfOneAddressGroup() {
    for (int i = 0; i < 50; i++) {
      learned(peerIn("10.1")); // all one /16: an attacker's flood
    }
    PeerAddresses honest1 = learned(peerInOwnGroup());
    PeerAddresses honest2 = learned(peerInOwnGroup());
    OutboundPlanner planner = planner();

    List<Action.Dial> dialed = dials(tick(planner));

    assertThat(dialed).hasSize(3);
    assertThat(dialed.stream().map(Action.Dial::peer)).contains(honest1.peerId(), honest2.peerId());
    assertThat(dialed.stream().filter(d -> d.address().toString().startsWith("/ip4/10.1.")))
        .hasSize(1);
  }

  @Test
  void aDialStillInFlightReservesItsGroupAcrossTicks() {
    for (int i = 0; i < 50; i++) {
      learned(peerIn("10.1")); // an attacker's network whose dials hang until they time out
    }
    OutboundPlanner planner = planner();

    List<Action.Dial> first = dials(tick(planner));
    assertThat(first).hasSize(1);
    for (int i = 0; i < 10; i++) {
      assertThat(dials(tick(planner)))
          .as("no second dial into 10.1/16 while the first hangs, tick %d", i)
          .isEmpty();
    }

    planner.dialFailed(first.get(0).peer());
    assertThat(dials(tick(planner))).as("the group is free again once the dial ended").hasSize(1);
  }

  @Test
  void aFeelerIsNotSentIntoAGroupWithADialInFlight() {
    for (int i = 0; i < 50; i++) {
      learned(peerIn("10.1"));
    }
    OutboundPlanner planner = planner();
    assertThat(dials(tick(planner))).hasSize(1);

    clock.advance(config.feelerInterval());
    assertThat(dials(tick(planner))).as("feeler into the group being dialed").isEmpty();
  }

  @Test
  void neverDialsBannedOrBackingOffPeers() {
    PeerAddresses banned = learned(peerInOwnGroup());
    PeerAddresses failing = learned(peerInOwnGroup());
    PeerAddresses fine = learned(peerInOwnGroup());
    bans.ban(banned.peerId(), Duration.ofHours(1), "test");
    backoff.failed(failing.peerId());
    OutboundPlanner planner = planner();

    List<Action.Dial> dialed = dials(tick(planner));

    assertThat(dialed).extracting(Action.Dial::peer).containsExactly(fine.peerId());
  }

  @Test
  void aFailedDialBacksThePeerOffAndCountsInTheBook() {
    PeerAddresses peer = learned(peerInOwnGroup());
    OutboundPlanner planner = planner();
    assertThat(dials(tick(planner))).hasSize(1);

    Duration retryIn = planner.dialFailed(peer.peerId());

    assertThat(book.get(peer.peerId()).orElseThrow().failures()).isEqualTo(1);
    assertThat(dials(tick(planner))).isEmpty();
    clock.advance(retryIn);
    assertThat(dials(tick(planner))).extracting(Action.Dial::peer).containsExactly(peer.peerId());
  }

  @Test
  void dialsAnchorsFirstAndTheBookOnlyOnceTheyAnswered() {
    for (int i = 0; i < 20; i++) {
      learned(peerInOwnGroup());
    }
    PeerAddresses a1 = peerInOwnGroup();
    PeerAddresses a2 = peerInOwnGroup();
    Anchors anchors = new Anchors(2);
    anchors.update(
        List.of(
            new Anchors.Anchor(a1.peerId(), a1.addresses(), clock.instant()),
            new Anchors.Anchor(a2.peerId(), a2.addresses(), clock.instant().plusSeconds(1))));
    OutboundPlanner planner = planner(anchors, List.of(peerInOwnGroup()));

    List<Action> first = tick(planner);
    assertThat(dials(first))
        .extracting(Action.Dial::peer, Action.Dial::purpose)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(a1.peerId(), Purpose.ANCHOR),
            org.assertj.core.groups.Tuple.tuple(a2.peerId(), Purpose.ANCHOR));
    assertThat(tick(planner)).as("waiting for the anchors").isEmpty();

    connectAll(planner, List.of(first.get(0)));
    planner.dialFailed(a2.peerId());
    List<Action.Dial> next = dials(tick(planner));

    assertThat(next).hasSize(3).noneMatch(d -> d.purpose() == Purpose.BOOTSTRAP);
  }

  @Test
  void dialsTheBootstrapPeersWhenTheBookIsNearlyEmpty() {
    PeerAddresses bootstrap = peerInOwnGroup();
    OutboundPlanner planner = planner(new Anchors(2), List.of(bootstrap));

    List<Action.Dial> dialed = dials(tick(planner));

    assertThat(dialed)
        .extracting(Action.Dial::peer, Action.Dial::purpose)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(bootstrap.peerId(), Purpose.BOOTSTRAP));
    assertThat(book.get(bootstrap.peerId()).orElseThrow().source())
        .isEqualTo(DiscoverySource.BOOTSTRAP);
  }

  @Test
  void sendsOneFeelerToANewAddressEveryFeelerInterval() {
    List<PeerAddresses> peers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      peers.add(learned(peerInOwnGroup()));
    }
    OutboundPlanner planner = planner();
    connectAll(planner, tick(planner)); // outbound full: only feelers from now on

    int feelers = 0;
    for (int second = 0; second < 300; second++) {
      List<Action.Dial> dialed = dials(tick(planner));
      for (Action.Dial dial : dialed) {
        assertThat(dial.purpose()).isEqualTo(Purpose.FEELER);
        assertThat(book.get(dial.peer()).orElseThrow().tried()).isFalse();
        feelers++;
        planner.dialFailed(dial.peer());
      }
    }
    assertThat(feelers).isEqualTo(10); // 300 s at one per 30 s
  }

  @Test
  void aSuccessfulFeelerIsDroppedWhenOutboundIsFull() {
    for (int i = 0; i < 30; i++) {
      learned(peerInOwnGroup());
    }
    OutboundPlanner planner = planner();
    connectAll(planner, tick(planner));
    Action.Dial feeler = null;
    while (feeler == null) {
      feeler = dials(tick(planner)).stream().findFirst().orElse(null);
    }
    connectAll(planner, List.of(feeler));

    assertThat(planner.keepFeeler(feeler.peer(), feeler.address(), view)).isFalse();
    assertThat(book.get(feeler.peer()).orElseThrow().tried()).isTrue();
  }

  @Test
  void rotatesTheLongestConnectedPeerThatIsNotAnAnchorEveryRotationInterval() {
    for (int i = 0; i < 30; i++) {
      learned(peerInOwnGroup());
    }
    Anchors anchors = new Anchors(1);
    OutboundPlanner planner = planner(anchors, List.of());
    List<Action.Dial> first = dials(tick(planner));
    for (Action.Dial dial : first) {
      clock.advance(Duration.ofSeconds(1)); // first[0] is the longest connected
      connectAll(planner, List.of(dial));
    }
    anchors.update(List.of(new Anchors.Anchor(first.get(0).peer(), List.of(), Instant.EPOCH)));

    List<Action.Rotate> rotations = new ArrayList<>();
    for (int second = 0; second < 301; second++) {
      tick(planner).stream()
          .filter(a -> a instanceof Action.Rotate)
          .forEach(a -> rotations.add((Action.Rotate) a));
    }

    assertThat(rotations).extracting(Action.Rotate::peer).containsExactly(first.get(1).peer());
  }

  @Test
  void redialsAnOutboundPeerThatDroppedAfterItsBackoff() {
    for (int i = 0; i < 4; i++) {
      learned(peerInOwnGroup());
    }
    OutboundPlanner planner = planner();
    List<Action> first = tick(planner);
    connectAll(planner, first);
    PeerId dropped = dials(first).get(0).peer();

    view.outbound.remove(dropped);
    planner.disconnected(dropped, true, false);

    assertThat(dials(tick(planner))).isEmpty();
    clock.advance(BACKOFF);
    assertThat(dials(tick(planner)))
        .extracting(Action.Dial::peer, Action.Dial::purpose)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(dropped, Purpose.REDIAL));
  }
}
