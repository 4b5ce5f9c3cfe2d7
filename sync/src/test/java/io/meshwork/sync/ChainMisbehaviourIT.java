package io.meshwork.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.consensus.ProofOfWork;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.pubsub.score.PeerScoreThresholds;
import io.meshwork.networking.testsupport.Eventually;
import io.meshwork.sync.wire.BlockAnnouncement;
import io.meshwork.sync.wire.Snappy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Peers that send invalid blocks, or belong to another network, are dealt with; relay goes on. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChainMisbehaviourIT {
  private static final GenesisConfig GENESIS = TestChains.genesis("synctest");
  private final List<SyncTestNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.parallelStream().forEach(SyncTestNode::close);
  }

  private SyncTestNode node(GenesisConfig genesis) {
    SyncTestNode node = SyncTestNode.start(genesis);
    nodes.add(node);
    return node;
  }

  @Test
  void aPeerSendingInvalidBlocksIsGraylistedWhileHonestRelayContinues() {
    SyncTestNode victim = node(GENESIS);
    SyncTestNode honestA = node(GENESIS);
    SyncTestNode honestB = node(GENESIS);
    SyncTestNode attacker = node(GENESIS);
    victim.connect(honestA);
    honestA.connect(honestB);
    victim.connect(attacker);
    String topic = victim.sync.protocols().blockTopic();
    Eventually.holds(
        () -> {
          assertThat(victim.gossip.meshPeers(topic).join()).contains(attacker.host.peerId());
          assertThat(victim.gossip.meshPeers(topic).join()).contains(honestA.host.peerId());
          assertThat(honestB.gossip.meshPeers(topic).join()).isNotEmpty();
        });

    // A block that passes the stateless checks but fails on import is relayed first, so its
    // sender cannot be gossip-rejected: it is reported instead.
    List<NetworkEvent.PeerMisbehaved> reports = new CopyOnWriteArrayList<>();
    victim.host.subscribe(
        e -> {
          if (e instanceof NetworkEvent.PeerMisbehaved m) {
            reports.add(m);
          }
        });

    // Garbage, a header without its proof of work, a block whose state root is wrong.
    publish(attacker, topic, "not snappy at all".getBytes(StandardCharsets.UTF_8));
    publish(
        attacker,
        topic,
        Snappy.compress(new BlockAnnouncement.Full(withoutWork(attacker)).encode()));
    publish(
        attacker,
        topic,
        Snappy.compress(new BlockAnnouncement.Full(wrongStateRoot(attacker)).encode()));
    publish(attacker, topic, Snappy.compress(new byte[] {7, 7, 7}));

    Eventually.holds(
        () ->
            assertThat(victim.gossip.score(attacker.host.peerId()).join())
                .isLessThan(PeerScoreThresholds.DEFAULT.graylistThreshold()));
    assertThat(victim.sync.metrics().blocksRejected()).isGreaterThanOrEqualTo(3);
    Eventually.holds(
        () ->
            assertThat(reports)
                .anySatisfy(
                    r -> {
                      assertThat(r.peerId()).isEqualTo(attacker.host.peerId());
                      assertThat(r.reason()).contains("BAD_STATE_ROOT");
                    }));
    assertThat(victim.height()).isZero();

    Block honest = honestB.mine();
    Eventually.holds(() -> assertThat(victim.chain.headHeader().hash()).isEqualTo(honest.hash()));
  }

  @Test
  void aPeerOnAnotherNetworkIsToldSoAndDisconnected() {
    SyncTestNode ours = node(GENESIS);
    SyncTestNode theirs = node(TestChains.genesis("othernet"));
    theirs.connect(ours);
    Eventually.holds(
        () -> {
          assertThat(ours.host.connection(theirs.host.peerId())).isEmpty();
          assertThat(theirs.host.connection(ours.host.peerId())).isEmpty();
          assertThat(
                  ours.sync.metrics().wrongNetworkPeers()
                      + theirs.sync.metrics().wrongNetworkPeers())
              .isPositive();
        });
    assertThat(ours.sync.peerStatus()).isEmpty();
  }

  @Test
  void aLateJoinerCatchesUpFromItsFirstPeer() {
    SyncTestNode miner = node(GENESIS);
    for (int i = 0; i < 20; i++) {
      miner.mine();
    }
    SyncTestNode late = node(GENESIS);
    late.connect(miner);
    Eventually.holds(
        Duration.ofSeconds(20),
        () ->
            assertThat(late.chain.headHeader().hash()).isEqualTo(miner.chain.headHeader().hash()));
    assertThat(late.sync.metrics().catchUpBlocks()).isEqualTo(20);
  }

  private static void publish(SyncTestNode from, String topic, byte[] payload) {
    from.gossip.publish(topic, payload).join();
  }

  /** A block on the attacker's head whose header misses its target. */
  private static Block withoutWork(SyncTestNode at) {
    Block template = at.chain.blockTemplate();
    ProofOfWork pow = new ProofOfWork(GENESIS.params());
    for (long nonce = 0; ; nonce++) {
      BlockHeader header = template.header().withNonce(nonce);
      if (pow.check(header).isPresent()) {
        return new Block(header, template.transactions());
      }
    }
  }

  /** A block with valid work whose state root is made up. */
  private static Block wrongStateRoot(SyncTestNode at) {
    Block template = at.chain.blockTemplate();
    BlockHeader h = template.header();
    BlockHeader forged =
        new BlockHeader(
            h.parent(),
            h.height(),
            h.timestampMillis(),
            h.transactionsRoot(),
            Hash.sha256("made up".getBytes(StandardCharsets.UTF_8)),
            h.difficultyBits(),
            0);
    ProofOfWork pow = new ProofOfWork(GENESIS.params());
    for (long nonce = 0; ; nonce++) {
      BlockHeader header = forged.withNonce(nonce);
      if (pow.check(header).isEmpty()) {
        return new Block(header, template.transactions());
      }
    }
  }
}
