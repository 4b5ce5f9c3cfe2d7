package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;

/** One router of a {@link SimNetwork}, recording what it delivers. */
final class SimNode implements RouterOutput {
  record Delivery(MessageId id, PubsubMessage message, PeerId source, long at) {}

  record Exchange(PeerId pruner, String topic, List<PxPeer> peers) {}

  final SimNetwork net;
  final PrivateKey key;
  final PeerId id;
  final GossipRouter router;
  final RpcCodec codec;
  final List<Delivery> delivered = new ArrayList<>();
  final List<Exchange> exchanges = new ArrayList<>();
  final List<String> disconnects = new ArrayList<>();
  long bytesSent;
  long rpcsSent;

  /** A mute node never forwards or publishes messages; it still sends control and subscriptions. */
  boolean mute;

  boolean stopped;

  SimNode(SimNetwork net, PrivateKey key, GossipConfig config, long seed) {
    this.net = net;
    this.key = key;
    this.id = PeerId.fromPublicKey(key.publicKey());
    this.codec = new RpcCodec(config.maxRpcSize());
    this.router =
        new GossipRouter(config, key, () -> net.now, new Random(seed), this, p -> Optional.empty());
  }

  void receive(PeerId from, byte[] bytes) {
    if (!stopped) {
      router.handleRpc(from, codec.decode(bytes));
    }
  }

  @Override
  public void send(PeerId peer, RPC rpc, boolean gossip) {
    if (mute && rpc.getPublishCount() > 0) {
      rpc = rpc.toBuilder().clearPublish().build();
    }
    byte[] bytes = codec.encode(rpc);
    bytesSent += bytes.length;
    rpcsSent++;
    net.transmit(this, peer, bytes);
  }

  @Override
  public void deliver(MessageId id, PubsubMessage message, PeerId propagationSource) {
    delivered.add(new Delivery(id, message, propagationSource, net.now));
  }

  @Override
  public void awaitValidation(MessageId id, CompletionStage<ValidationResult> pending) {
    pending.whenComplete(
        (result, error) ->
            net.schedule(
                net.now,
                () ->
                    router.validationResult(id, error == null ? result : ValidationResult.IGNORE)));
  }

  @Override
  public void peerExchange(PeerId pruner, String topic, List<PxPeer> peers) {
    exchanges.add(new Exchange(pruner, topic, peers));
  }

  @Override
  public void disconnect(PeerId peer, String reason) {
    disconnects.add(reason);
  }

  long deliveredCount(MessageId id) {
    return delivered.stream().filter(d -> d.id.equals(id)).count();
  }

  @Override
  public String toString() {
    return "SimNode[" + id + "]";
  }
}
