package io.meshwork.networking.pubsub;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;

/** One router under test, a manual clock, and remote peers that are just keys and RPCs. */
final class RouterHarness implements RouterOutput {
  record Sent(PeerId peer, RPC rpc, boolean gossip) {}

  record Delivered(MessageId id, PubsubMessage message, PeerId source) {}

  static final String TOPIC = "/meshwork/test/t";

  long now = 1_000_000_000L;
  final PrivateKey key = PrivateKey.generate(KeyType.ED25519);
  final GossipConfig config;
  final GossipRouter router;
  final List<Sent> sent = new ArrayList<>();
  final List<Delivered> delivered = new ArrayList<>();
  final List<SimNode.Exchange> exchanges = new ArrayList<>();
  final Map<MessageId, CompletionStage<ValidationResult>> awaiting = new HashMap<>();
  final Map<PeerId, byte[]> records = new HashMap<>();
  final Map<PeerId, PrivateKey> peerKeys = new HashMap<>();
  private long seqno;

  RouterHarness(GossipConfig config) {
    this.config = config;
    this.router =
        new GossipRouter(
            config, key, () -> now, new Random(7), this, p -> Optional.ofNullable(records.get(p)));
  }

  RouterHarness() {
    this(GossipConfig.builder().build());
  }

  void advance(Duration d) {
    now += d.toNanos();
  }

  /** Advances one heartbeat interval and runs the heartbeat. */
  void tick() {
    advance(config.heartbeatInterval());
    router.heartbeat();
  }

  PeerId newPeer(GossipProtocol protocol, boolean outbound) {
    PrivateKey k = PrivateKey.generate(KeyType.ED25519);
    PeerId id = PeerId.fromPublicKey(k.publicKey());
    peerKeys.put(id, k);
    router.addPeer(id, protocol, outbound, Optional.empty());
    return id;
  }

  /** A connected v1.2 outbound peer subscribed to {@link #TOPIC}. */
  PeerId subscribedPeer() {
    return subscribedPeer(GossipProtocol.MESHSUB_V12, true);
  }

  PeerId subscribedPeer(GossipProtocol protocol, boolean outbound) {
    PeerId id = newPeer(protocol, outbound);
    router.handleRpc(id, subscribeRpc(TOPIC, true));
    return id;
  }

  static RPC subscribeRpc(String topic, boolean subscribe) {
    return RPC.newBuilder()
        .addSubscriptions(RPC.SubOpts.newBuilder().setTopicid(topic).setSubscribe(subscribe))
        .build();
  }

  GossipsubProto.Message signed(PeerId author, String topic, byte[] data) {
    GossipsubProto.Message.Builder b =
        GossipsubProto.Message.newBuilder()
            .setTopic(topic)
            .setData(ByteString.copyFrom(data))
            .setSeqno(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(++seqno).array()));
    return MessageSigning.sign(peerKeys.get(author), b);
  }

  GossipsubProto.Message signed(PeerId author, String text) {
    return signed(author, TOPIC, text.getBytes(StandardCharsets.UTF_8));
  }

  static RPC publishRpc(GossipsubProto.Message... messages) {
    return RPC.newBuilder().addAllPublish(List.of(messages)).build();
  }

  static RPC controlRpc(GossipsubProto.ControlMessage.Builder control) {
    return RPC.newBuilder().setControl(control).build();
  }

  static MessageId idOf(GossipsubProto.Message m) {
    return MessageIdFunction.FROM_AND_SEQNO.idOf(new PubsubMessage(m));
  }

  List<RPC> sentTo(PeerId peer) {
    return sent.stream().filter(s -> s.peer.equals(peer)).map(Sent::rpc).toList();
  }

  List<GossipsubProto.ControlGraft> graftsTo(PeerId peer) {
    return sentTo(peer).stream().flatMap(r -> r.getControl().getGraftList().stream()).toList();
  }

  List<GossipsubProto.ControlPrune> prunesTo(PeerId peer) {
    return sentTo(peer).stream().flatMap(r -> r.getControl().getPruneList().stream()).toList();
  }

  List<ByteString> iwantIdsTo(PeerId peer) {
    return sentTo(peer).stream()
        .flatMap(r -> r.getControl().getIwantList().stream())
        .flatMap(w -> w.getMessageIDsList().stream())
        .toList();
  }

  List<GossipsubProto.ControlIHave> ihavesTo(PeerId peer) {
    return sentTo(peer).stream().flatMap(r -> r.getControl().getIhaveList().stream()).toList();
  }

  List<GossipsubProto.Message> messagesTo(PeerId peer) {
    return sentTo(peer).stream().flatMap(r -> r.getPublishList().stream()).toList();
  }

  List<ByteString> idontwantIdsTo(PeerId peer) {
    return sentTo(peer).stream()
        .flatMap(r -> r.getControl().getIdontwantList().stream())
        .flatMap(w -> w.getMessageIDsList().stream())
        .toList();
  }

  @Override
  public void send(PeerId peer, RPC rpc, boolean gossip) {
    sent.add(new Sent(peer, rpc, gossip));
  }

  @Override
  public void deliver(MessageId id, PubsubMessage message, PeerId propagationSource) {
    delivered.add(new Delivered(id, message, propagationSource));
  }

  @Override
  public void awaitValidation(MessageId id, CompletionStage<ValidationResult> pending) {
    awaiting.put(id, pending);
  }

  @Override
  public void peerExchange(PeerId pruner, String topic, List<PxPeer> peers) {
    exchanges.add(new SimNode.Exchange(pruner, topic, peers));
  }

  @Override
  public void disconnect(PeerId peer, String reason) {}
}
