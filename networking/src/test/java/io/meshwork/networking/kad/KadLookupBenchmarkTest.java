package io.meshwork.networking.kad;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KadLookupBenchmarkTest {
  @Test
  void findsEveryTargetIn200NodesWithinThreeRoundsAtP95() {
    KadLookupBenchmark.Report report = KadLookupBenchmark.run(200, 50, true, 300, 7);
    System.out.println(report);
    assertThat(report.found()).isEqualTo(report.lookups());
    assertThat(report.findRounds().p95()).isLessThanOrEqualTo(3);
    // the k closest of a random key are all asked, so at least k requests; bounded well below n
    assertThat(report.closestMessages().p50()).isBetween(20.0, 100.0);
  }

  @Test
  void sparseRandomTablesStillFindMostTargetsAfterBootstrapping() {
    KadLookupBenchmark.Report report = KadLookupBenchmark.run(200, 10, true, 200, 8);
    System.out.println(report);
    assertThat(report.found()).isGreaterThanOrEqualTo(report.lookups() * 95 / 100);
  }
}
