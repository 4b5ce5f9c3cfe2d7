package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.kad.bench.Percentiles;
import java.util.List;
import java.util.Random;

/**
 * Benchmark command: lookups in a simulated network of {@code nodes} Kademlia nodes in one JVM, in
 * virtual time (link latencies 5-50 ms one way). Prints rounds (hops), virtual latency and messages
 * per lookup, p50 and p95, for find-peer lookups (targets not in the origin's table) and
 * closest-peers lookups of random keys (run to convergence). Goal: p95 ≤ 3 rounds.
 *
 * <p>Run: {@code mvn -o -B -pl networking test-compile exec:java
 * -Dexec.mainClass=io.meshwork.networking.kad.KadLookupBenchmark -Dexec.classpathScope=test}
 * (arguments: nodes, random peers per table, lookups, bootstrap true|false), or {@code java -cp
 * target/classes:target/test-classes:<protobuf-java jar> ...KadLookupBenchmark 200 50 1000}, or
 * through {@code KadLookupBenchmarkTest}.
 */
public final class KadLookupBenchmark {

  record Report(
      int nodes,
      int known,
      boolean bootstrapped,
      int lookups,
      int found,
      Percentiles findRounds,
      Percentiles findLatencyMillis,
      Percentiles findMessages,
      Percentiles closestRounds,
      Percentiles closestLatencyMillis,
      Percentiles closestMessages) {

    @Override
    public String toString() {
      return String.join(
          "\n",
          "kad lookup benchmark: "
              + nodes
              + " nodes, tables from "
              + known
              + " random peers"
              + (bootstrapped ? " then a self-lookup" : "")
              + ", "
              + lookups
              + " lookups of each kind",
          "  find peer (" + found + "/" + lookups + " found)",
          "    rounds        " + findRounds,
          "    latency (ms)  " + findLatencyMillis,
          "    messages      " + findMessages,
          "  closest peers (to convergence)",
          "    rounds        " + closestRounds,
          "    latency (ms)  " + closestLatencyMillis,
          "    messages      " + closestMessages);
    }
  }

  static Report run(int nodes, int known, boolean bootstrap, int lookups, long seed) {
    KadConfig config = KadConfig.defaults();
    SimulatedKadNetwork network =
        new SimulatedKadNetwork(nodes, config, seed, NamespacedValidator.standard());
    network.fillTablesRandomly(known);
    if (bootstrap) {
      network.bootstrapAll();
    }
    Random random = new Random(seed + 1);
    long[] findRounds = new long[lookups];
    long[] findLatency = new long[lookups];
    long[] findMessages = new long[lookups];
    long[] closestRounds = new long[lookups];
    long[] closestLatency = new long[lookups];
    long[] closestMessages = new long[lookups];
    int found = 0;
    long now = 0;
    for (int i = 0; i < lookups; i++) {
      KadPeer origin = network.peers.get(random.nextInt(nodes));
      RoutingTable table = network.node(origin.id()).table;
      PeerId target;
      do {
        target = network.peers.get(random.nextInt(nodes)).id();
      } while (target.equals(origin.id()) || table.contains(target));
      List<KadPeer> seeds = table.closest(KadKey.ofPeer(target), config.k());
      LookupResult find =
          network.run(
              origin.id(), LookupQuery.findPeer(target, origin.id(), seeds, config, now), now);
      if (find.foundPeer().isPresent()) {
        found++;
      }
      findRounds[i] = find.rounds();
      findLatency[i] = find.elapsed().toMillis();
      findMessages[i] = find.requestsSent();

      byte[] key = new byte[32];
      random.nextBytes(key);
      List<KadPeer> closestSeeds = table.closest(KadKey.of(key), config.k());
      LookupResult closest =
          network.run(
              origin.id(), LookupQuery.findNode(key, origin.id(), closestSeeds, config, now), now);
      closestRounds[i] = closest.rounds();
      closestLatency[i] = closest.elapsed().toMillis();
      closestMessages[i] = closest.requestsSent();
    }
    return new Report(
        nodes,
        known,
        bootstrap,
        lookups,
        found,
        Percentiles.of(findRounds),
        Percentiles.of(findLatency),
        Percentiles.of(findMessages),
        Percentiles.of(closestRounds),
        Percentiles.of(closestLatency),
        Percentiles.of(closestMessages));
  }

  public static void main(String[] args) {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int known = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int lookups = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    boolean bootstrap = args.length <= 3 || Boolean.parseBoolean(args[3]);
    System.out.println(run(nodes, known, bootstrap, lookups, 42));
  }
}
