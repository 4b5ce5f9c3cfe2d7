package io.meshwork.node.cli;

import io.meshwork.chain.bench.ChainBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code meshwork bench ...}: benchmarks that print their figures and a reference. */
@Command(
    name = "bench",
    description = "Runs a benchmark and prints its figures.",
    subcommands = {BenchCommand.Chain.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a benchmark is required: chain");
  }

  /** Chain import throughput and reorganisation time on RocksDB, against the Ed25519 limit. */
  @Command(
      name = "chain",
      description =
          "Chain import and reorganisation on RocksDB:"
              + " [--blocks N] [--txs-per-block M] [--accounts K] [--data-dir DIR]")
  static final class Chain implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      ChainBenchmark.main(args.toArray(String[]::new));
      return 0;
    }
  }
}
