package io.meshwork.chain.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke run of the benchmark command with a tiny workload (no timing is asserted). */
class ChainBenchmarkTest {
  @Test
  void printsASummaryAndOneJsonLineAndCleansUpItsDatabase(@TempDir Path dataDir) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      ChainBenchmark.main(
          new String[] {
            "--blocks",
            "3",
            "--txs-per-block",
            "2",
            "--accounts",
            "4",
            "--data-dir",
            dataDir.toString()
          });
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("import     RocksDB:").contains("reorg      depth 10:");
    assertThat(output.lines().filter(l -> l.startsWith("{\"benchmark\":\"chain\"")).count())
        .isEqualTo(1);
    assertThat(output).contains("\"blocks\":3").contains("\"reorg100CpuMs\":");
    try (var leftovers = Files.list(dataDir)) {
      assertThat(leftovers).isEmpty();
    }
  }
}
