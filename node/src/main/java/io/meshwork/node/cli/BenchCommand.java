package io.meshwork.node.cli;

import io.meshwork.chain.bench.ChainBenchmark;
import io.meshwork.networking.kad.bench.DhtBenchmark;
import io.meshwork.networking.pubsub.bench.GossipBenchmark;
import io.meshwork.sync.bench.PropagationBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code meshwork bench ...}: benchmarks that print their figures and a reference. */
@Command(
    name = "bench",
    description = "Runs a benchmark and prints its figures.",
    subcommands = {
      BenchCommand.Chain.class,
      BenchCommand.Gossip.class,
      BenchCommand.Dht.class,
      BenchCommand.Propagation.class
    })
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a benchmark is required: chain, gossip, dht, propagation");
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

  /** Gossipsub delivery, latency, duplicates and bytes on N real hosts in one JVM. */
  @Command(
      name = "gossip",
      description =
          "Gossipsub on N loopback hosts (TCP, Noise, Yamux), IDONTWANT on and off:"
              + " [--nodes N] [--degree K] [--messages M] [--sizes 1024,131072] [--rate R]"
              + " [--byte-rate B] [--idontwant both|on|off] [--seed S]")
  static final class Gossip implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      GossipBenchmark.main(args.toArray(String[]::new));
      return 0;
    }
  }

  /** Kademlia lookups on N loopback hosts against the fewest rounds possible in the same tables. */
  @Command(
      name = "dht",
      description =
          "Kademlia find-peer lookups on N loopback hosts joined from one bootstrap node:"
              + " [--nodes N] [--lookups M] [--join-concurrency C] [--seed S]")
  static final class Dht implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      DhtBenchmark.main(args.toArray(String[]::new));
      return 0;
    }
  }

  /** Block and transaction propagation on N loopback chain nodes: compact against full relay. */
  @Command(
      name = "propagation",
      description =
          "Blocks of ~1,000 transactions across N loopback chain nodes, compact relay against"
              + " full-block relay: [--nodes N] [--degree K] [--rounds R] [--txs T]"
              + " [--unannounced U] [--modes compact,full] [--seed S]")
  static final class Propagation implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      PropagationBenchmark.main(args.toArray(String[]::new));
      return 0;
    }
  }
}
