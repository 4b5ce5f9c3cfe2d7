package io.meshwork.networking.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerQueueTest {
  private static RPC message(String topic, int size) {
    return RPC.newBuilder()
        .addPublish(
            GossipsubProto.Message.newBuilder()
                .setTopic(topic)
                .setData(ByteString.copyFrom(new byte[size])))
        .build();
  }

  @Test
  void dropsQueuedGossipFirstThenReportsOverflow() {
    Map<String, Long> byTopic = new HashMap<>();
    PeerQueue q = new PeerQueue(10_000, byTopic);
    assertThat(q.offer(message("g", 4000), true)).isEqualTo(PeerQueue.Offer.QUEUED);
    assertThat(q.offer(message("a", 4000), false)).isEqualTo(PeerQueue.Offer.QUEUED);
    assertThat(byTopic).containsOnlyKeys("g", "a");

    // No room: the queued gossip goes, the new message fits.
    assertThat(q.offer(message("a", 4000), false)).isEqualTo(PeerQueue.Offer.QUEUED);
    assertThat(q.droppedGossip).isEqualTo(1);
    assertThat(byTopic).containsOnlyKeys("a");

    // Gossip that does not fit is dropped; a message that does not fit overflows.
    assertThat(q.offer(message("g", 4000), true)).isEqualTo(PeerQueue.Offer.DROPPED);
    assertThat(q.offer(message("a", 4000), false)).isEqualTo(PeerQueue.Offer.OVERFLOW);
    assertThat(q.bytes()).isLessThanOrEqualTo(10_000);
  }

  @Test
  void accountsQueuedBytesPerTopicUntilPolled() {
    Map<String, Long> byTopic = new HashMap<>();
    PeerQueue q = new PeerQueue(1 << 20, byTopic);
    q.offer(message("a", 100), false);
    q.offer(message("a", 100), false);
    assertThat(byTopic.get("a")).isGreaterThan(200);
    q.poll();
    q.poll();
    assertThat(byTopic).isEmpty();
    assertThat(q.bytes()).isZero();
    assertThat(q.isEmpty()).isTrue();
  }
}
