package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a {@link GossipRouter} puts its effects. Called on the router thread, synchronously, while
 * the router handles an input; implementations must not call back into the router from these
 * methods (queue the work instead).
 */
public interface RouterOutput {

  /**
   * Send an RPC to a peer. {@code gossip} marks RPCs that only carry IHAVE, IWANT, IDONTWANT or
   * IWANT replies: a slow peer's queue may drop those first without breaking the protocol.
   */
  void send(PeerId peer, GossipsubProto.RPC rpc, boolean gossip);

  /** A message accepted on a topic we subscribe to, for the local application. */
  void deliver(MessageId id, PubsubMessage message, PeerId propagationSource);

  /**
   * A validator answered asynchronously: the driver must call {@link
   * GossipRouter#validationResult(MessageId, ValidationResult)} on the router thread once {@code
   * pending} completes (IGNORE if it fails).
   */
  void awaitValidation(MessageId id, CompletionStage<ValidationResult> pending);

  /**
   * Peers offered by {@code pruner} in a PRUNE for {@code topic}, above the accept-PX threshold.
   */
  void peerExchange(PeerId pruner, String topic, List<PxPeer> peers);

  /** A peer broke the protocol badly enough that the connection should close. */
  void disconnect(PeerId peer, String reason);
}
