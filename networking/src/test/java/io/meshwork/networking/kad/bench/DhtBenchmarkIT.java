package io.meshwork.networking.kad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhtBenchmarkIT {

  @Test
  void aSmallNetworkJoinedFromOneBootstrapNodeFindsEveryLookedUpPeer() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    DhtBenchmark.Report report =
        DhtBenchmark.run(
            new DhtBenchmark.Options(30, 20, 4, 7),
            new PrintStream(progress, true, StandardCharsets.UTF_8));

    assertThat(report.joinFailures()).isZero();
    assertThat(report.found()).isEqualTo(20);
    assertThat(report.rounds().p50()).isGreaterThanOrEqualTo(1);
    // every round asks at least one peer
    assertThat(report.messages().mean()).isGreaterThanOrEqualTo(report.rounds().mean());
    assertThat(report.toJson()).startsWith("{\"benchmark\":\"dht\",\"nodes\":30,");
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("started 30 nodes");
  }

  @Test
  void theOracleCountsTheFewestPeersAskedOneAfterAnother() {
    // 0 knows 1, 1 knows 2, 2 knows 3; 4 is known by nobody
    List<io.meshwork.networking.crypto.PeerId> ids =
        java.util.stream.IntStream.range(0, 5)
            .mapToObj(
                i ->
                    io.meshwork.networking.crypto.PeerId.fromPublicKey(
                        io.meshwork.networking.crypto.PrivateKey.generate(
                                io.meshwork.networking.crypto.KeyType.ED25519)
                            .publicKey()))
            .toList();
    DhtBenchmark.Oracle oracle =
        new DhtBenchmark.Oracle(
            ids,
            List.of(
                List.of(ids.get(1)),
                List.of(ids.get(2)),
                List.of(ids.get(3)),
                List.of(),
                List.of()));

    assertThat(oracle.rounds(0, 2)).isEqualTo(1); // ask 1, it names 2
    assertThat(oracle.rounds(0, 3)).isEqualTo(2); // ask 1, then 2
    assertThat(oracle.rounds(0, 4)).isEqualTo(-1);
  }
}
