package io.meshwork.networking.pubsub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.pubsub.bench.GossipBenchmark.Options;
import io.meshwork.networking.pubsub.bench.GossipBenchmark.Result;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipBenchmarkIT {

  @Test
  void tenNodesDeliverEveryMessageToEveryOtherNodeWithAndWithoutIdontwant() throws Exception {
    // A sparse 10-node graph may never give every node Dlo mesh peers: do not wait the full minute.
    Options options =
        Options.defaults()
            .with(10, 4, 3, List.of(1024, 128 * 1024))
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20));

    List<Result> results =
        GossipBenchmark.run(options, new PrintStream(OutputStream.nullOutputStream()));

    assertThat(results).hasSize(4);
    assertThat(results).extracting(Result::idontwant).containsExactly(true, true, false, false);
    for (Result r : results) {
      assertThat(r.deliveries()).as("deliveries of %s", r).isEqualTo(3 * 9);
      assertThat(r.deliveryRatio()).isEqualTo(1.0);
      assertThat(r.p99Ms()).isPositive();
      assertThat(r.bytesSentPerByteDelivered()).isGreaterThanOrEqualTo(1.0);
      assertThat(r.duplicatesPerDelivery()).isGreaterThanOrEqualTo(0.0);
    }
  }
}
