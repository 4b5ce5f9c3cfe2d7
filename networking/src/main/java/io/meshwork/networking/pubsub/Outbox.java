package io.meshwork.networking.pubsub;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what the router sends to each peer while it handles one input and hands it to the {@link
 * RouterOutput} as few RPCs as possible: one stream of "gossip" RPCs (IHAVE, IWANT, IDONTWANT and
 * IWANT replies, which a slow peer may lose) and one of everything else, each split so that no RPC
 * exceeds the maximum RPC size. Router thread only.
 */
final class Outbox {
  // Room for the RPC-level tags and lengths our size estimate does not count exactly.
  private static final int SLACK = 64;

  private static final class Batch {
    final List<RPC> done = new ArrayList<>();
    RPC.Builder current = RPC.newBuilder();
    int size;
  }

  private static final class Pending {
    final Batch normal = new Batch();
    final Batch gossip = new Batch();
  }

  private final int limit;
  private final Map<PeerId, Pending> pending = new LinkedHashMap<>();

  Outbox(int maxRpcSize) {
    this.limit = maxRpcSize - SLACK;
  }

  private Batch batch(PeerId peer, boolean gossip, int addition) {
    Pending p = pending.computeIfAbsent(peer, k -> new Pending());
    Batch b = gossip ? p.gossip : p.normal;
    if (b.size > 0 && b.size + addition > limit) {
      b.done.add(b.current.build());
      b.current = RPC.newBuilder();
      b.size = 0;
    }
    b.size += addition;
    return b;
  }

  private static int fieldSize(int bodySize) {
    // tag + length prefix + body, plus up to 5 bytes growth of the enclosing ControlMessage length
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize + 5;
  }

  void subscription(PeerId peer, String topic, boolean subscribe) {
    RPC.SubOpts opts = RPC.SubOpts.newBuilder().setSubscribe(subscribe).setTopicid(topic).build();
    batch(peer, false, fieldSize(opts.getSerializedSize())).current.addSubscriptions(opts);
  }

  void message(PeerId peer, PubsubMessage message, boolean gossip) {
    batch(peer, gossip, fieldSize(message.wireSize())).current.addPublish(message.proto());
  }

  void graft(PeerId peer, String topic) {
    GossipsubProto.ControlGraft graft =
        GossipsubProto.ControlGraft.newBuilder().setTopicID(topic).build();
    batch(peer, false, fieldSize(graft.getSerializedSize()))
        .current
        .getControlBuilder()
        .addGraft(graft);
  }

  void prune(PeerId peer, GossipsubProto.ControlPrune prune) {
    batch(peer, false, fieldSize(prune.getSerializedSize()))
        .current
        .getControlBuilder()
        .addPrune(prune);
  }

  void ihave(PeerId peer, String topic, List<MessageId> ids) {
    GossipsubProto.ControlIHave.Builder b =
        GossipsubProto.ControlIHave.newBuilder().setTopicID(topic);
    ids.forEach(id -> b.addMessageIDs(id.byteString()));
    GossipsubProto.ControlIHave ihave = b.build();
    batch(peer, true, fieldSize(ihave.getSerializedSize()))
        .current
        .getControlBuilder()
        .addIhave(ihave);
  }

  void iwant(PeerId peer, List<MessageId> ids) {
    GossipsubProto.ControlIWant.Builder b = GossipsubProto.ControlIWant.newBuilder();
    ids.forEach(id -> b.addMessageIDs(id.byteString()));
    GossipsubProto.ControlIWant iwant = b.build();
    batch(peer, true, fieldSize(iwant.getSerializedSize()))
        .current
        .getControlBuilder()
        .addIwant(iwant);
  }

  void idontwant(PeerId peer, MessageId id) {
    ByteString bytes = id.byteString();
    GossipsubProto.ControlIDontWant msg =
        GossipsubProto.ControlIDontWant.newBuilder().addMessageIDs(bytes).build();
    batch(peer, true, fieldSize(msg.getSerializedSize()))
        .current
        .getControlBuilder()
        .addIdontwant(msg);
  }

  /** Hands every pending RPC to the output, gossip first (IDONTWANT should travel ahead). */
  void flush(RouterOutput output) {
    if (pending.isEmpty()) {
      return;
    }
    List<Map.Entry<PeerId, Pending>> entries = new ArrayList<>(pending.entrySet());
    pending.clear();
    for (Map.Entry<PeerId, Pending> e : entries) {
      send(output, e.getKey(), e.getValue().gossip, true);
      send(output, e.getKey(), e.getValue().normal, false);
    }
  }

  private static void send(RouterOutput output, PeerId peer, Batch batch, boolean gossip) {
    if (batch.size > 0) {
      batch.done.add(batch.current.build());
    }
    for (RPC rpc : batch.done) {
      output.send(peer, rpc, gossip);
    }
  }
}
