package io.meshwork.networking.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.meshwork.networking.core.Stream;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundRpcReaderTest {
  private final Stream stream = mock(Stream.class);
  private final List<Runnable> routerTasks = new ArrayList<>();
  private final List<RPC> handled = new ArrayList<>();
  private final InboundRpcReader reader =
      new InboundRpcReader(stream, new RpcCodec(1024), 4, routerTasks::add, handled::add);

  private static byte[] rpc(String topic) {
    return RouterHarness.subscribeRpc(topic, true).toByteArray();
  }

  @Test
  void pausesReadingWhileTheRouterIsBehindAndResumesWhenItCatchesUp() {
    for (int i = 0; i < 4; i++) {
      reader.onMessage(rpc("t" + i));
    }
    verify(stream).pauseReading();
    routerTasks.get(0).run();
    verify(stream, never()).resumeReading();
    routerTasks.get(1).run();
    verify(stream, times(1)).resumeReading();
    routerTasks.subList(2, 4).forEach(Runnable::run);
    assertThat(handled)
        .extracting(r -> r.getSubscriptions(0).getTopicid())
        .containsExactly("t0", "t1", "t2", "t3");
  }

  @Test
  void resetsTheStreamOnAMalformedRpc() {
    reader.onMessage(new byte[] {0x0a, 0x7f});
    verify(stream).reset();
    assertThat(routerTasks).isEmpty();
  }
}
