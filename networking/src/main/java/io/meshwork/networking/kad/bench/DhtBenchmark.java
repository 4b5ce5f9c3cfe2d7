package io.meshwork.networking.kad.bench;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.kad.KadConfig;
import io.meshwork.networking.kad.KadDht;
import io.meshwork.networking.kad.KadPeer;
import io.meshwork.networking.kad.LookupResult;
import io.meshwork.networking.multiformats.Multiaddr;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs N Kademlia DHT servers on real hosts (TCP, Noise, Yamux over 127.0.0.1, one I/O thread each)
 * in one JVM. Every node joins from one bootstrap node (node 0: dial it, add it to the table, look
 * up our own id), then every node runs one more self-lookup, as its first periodic refresh would.
 * Then it runs find-peer lookups one at a time, each from a random node to a random node that is
 * not in the origin's routing table, and prints rounds, messages and wall-clock latency per lookup
 * (p50, p95) and one JSON line.
 *
 * <p>The reference, measured in the same network: the <b>oracle rounds</b> of each lookup, the
 * fewest rounds any lookup could take given every node's routing table at the start of the lookup
 * phase (a breadth-first search over "is in the routing table of"). A lookup's <b>rounds</b> is the
 * hop of the peer whose reply named the target (the origin's own table seeds are hop 1), so the
 * oracle rounds are the search distance minus one. <b>Messages</b> are the FIND_NODE requests the
 * lookup sent. Goal (issue 5): p95 at most 3 rounds.
 *
 * <p>Usage: {@code DhtBenchmark [--nodes N] [--lookups M] [--join-concurrency C] [--seed S]}. Runs
 * on the calling thread; not thread-safe.
 */
public final class DhtBenchmark {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final long STEP_TIMEOUT_SECONDS = 60;

  /** Benchmark parameters. */
  public record Options(int nodes, int lookups, int joinConcurrency, long seed) {
    public Options {
      if (nodes < 3 || lookups < 1 || joinConcurrency < 1) {
        throw new IllegalArgumentException(
            "need --nodes >= 3, --lookups >= 1 and --join-concurrency >= 1");
      }
    }

    public static Options defaults() {
      return new Options(200, 200, 8, 1);
    }

    /** Parses {@code --nodes N --lookups M --join-concurrency C --seed S}, each optional. */
    public static Options parse(String[] args) {
      Options o = defaults();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        o =
            switch (flag) {
              case "--nodes" ->
                  new Options(Integer.parseInt(value), o.lookups, o.joinConcurrency, o.seed);
              case "--lookups" ->
                  new Options(o.nodes, Integer.parseInt(value), o.joinConcurrency, o.seed);
              case "--join-concurrency" ->
                  new Options(o.nodes, o.lookups, Integer.parseInt(value), o.seed);
              case "--seed" ->
                  new Options(o.nodes, o.lookups, o.joinConcurrency, Long.parseLong(value));
              default -> throw new IllegalArgumentException("unknown option " + flag);
            };
      }
      return o;
    }
  }

  /**
   * What one run measured.
   *
   * @param nodes nodes in the network
   * @param joinFailures nodes whose join (dial, self-lookup) failed
   * @param tableSizes routing-table sizes at the start of the lookup phase
   * @param lookups lookups run
   * @param found lookups that found their target
   * @param rounds rounds of the lookups that found their target
   * @param oracleRounds the fewest possible rounds for the same lookups
   * @param messages requests sent per lookup (all lookups)
   * @param latencyMillis wall-clock time per lookup (all lookups)
   */
  public record Report(
      int nodes,
      int joinFailures,
      Percentiles tableSizes,
      int lookups,
      int found,
      Percentiles rounds,
      Percentiles oracleRounds,
      Percentiles messages,
      Percentiles latencyMillis) {

    /** The figures as a table a person reads. */
    public String toText() {
      return String.join(
          "\n",
          "dht lookup benchmark: "
              + nodes
              + " nodes over loopback TCP, each joined from one bootstrap node ("
              + joinFailures
              + " joins failed)",
          "  routing table size  " + tableSizes,
          "  find peer: " + found + "/" + lookups + " found",
          "    rounds            " + rounds,
          "    oracle rounds     " + oracleRounds + "   (the fewest possible, same tables)",
          "    messages          " + messages,
          "    latency (ms)      " + latencyMillis,
          "  goal: p95 rounds <= 3: " + (rounds.p95() <= 3 ? "met" : "NOT met"));
    }

    /** One JSON object with every figure. */
    public String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"benchmark\":\"dht\",\"nodes\":%d,\"joinFailures\":%d,\"tableSize\":%s,"
              + "\"lookups\":%d,\"found\":%d,\"rounds\":%s,\"oracleRounds\":%s,\"messages\":%s,"
              + "\"latencyMillis\":%s}",
          nodes,
          joinFailures,
          tableSizes.toJson(),
          lookups,
          found,
          rounds.toJson(),
          oracleRounds.toJson(),
          messages.toJson(),
          latencyMillis.toJson());
    }
  }

  private final Options options;
  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();
  private final List<Multiaddr> addresses = new ArrayList<>();

  private DhtBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Report report = run(Options.parse(args), System.out);
    System.out.println(report.toText());
    System.out.println(report.toJson());
  }

  /** Builds the network, measures, tears it down; progress lines go to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    DhtBenchmark bench = new DhtBenchmark(options);
    try {
      return bench.measure(log);
    } finally {
      bench.close();
    }
  }

  private Report measure(PrintStream log) throws Exception {
    long t0 = System.nanoTime();
    start();
    log.printf(Locale.ROOT, "started %d nodes in %d ms%n", options.nodes, millisSince(t0));
    long t1 = System.nanoTime();
    int joinFailures = join();
    log.printf(
        Locale.ROOT, "joined in %d ms (%d failed); refreshing%n", millisSince(t1), joinFailures);
    inParallel(i -> dhts.get(i).bootstrap(), 0);
    List<List<PeerId>> tables = new ArrayList<>();
    for (KadDht dht : dhts) {
      tables.add(
          dht.routingTable().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
              .map(KadPeer::id)
              .toList());
    }
    Oracle oracle = new Oracle(hosts.stream().map(Host::peerId).toList(), tables);

    Random random = new Random(options.seed);
    int n = options.nodes;
    long[] rounds = new long[options.lookups];
    long[] oracleRounds = new long[options.lookups];
    long[] messages = new long[options.lookups];
    long[] latency = new long[options.lookups];
    int found = 0;
    for (int i = 0; i < options.lookups; i++) {
      int[] pair = pickLookup(random, tables);
      int origin = pair[0];
      int target = pair[1];
      long start = System.nanoTime();
      LookupResult result =
          dhts.get(origin)
              .lookupPeer(hosts.get(target).peerId())
              .get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      latency[i] = millisSince(start);
      messages[i] = result.requestsSent();
      if (result.foundPeer().isPresent()) {
        rounds[found] = result.rounds();
        oracleRounds[found] = oracle.rounds(origin, target);
        found++;
      }
    }
    return new Report(
        n,
        joinFailures,
        Percentiles.of(tables.stream().mapToLong(List::size).toArray()),
        options.lookups,
        found,
        Percentiles.of(Arrays.copyOf(rounds, found)),
        Percentiles.of(Arrays.copyOf(oracleRounds, found)),
        Percentiles.of(messages),
        Percentiles.of(latency));
  }

  /**
   * A random origin and a random target outside the origin's table (else the lookup would be
   * answered from the table); in a network so small that some tables hold everyone, origins are
   * drawn until one does not, and if none is found any other node is the target.
   */
  private int[] pickLookup(Random random, List<List<PeerId>> tables) {
    int n = options.nodes;
    for (int attempt = 0; attempt < 10 * n; attempt++) {
      int origin = random.nextInt(n);
      List<Integer> outside = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        if (t != origin && !tables.get(origin).contains(hosts.get(t).peerId())) {
          outside.add(t);
        }
      }
      if (!outside.isEmpty()) {
        return new int[] {origin, outside.get(random.nextInt(outside.size()))};
      }
    }
    int origin = random.nextInt(n);
    return new int[] {origin, (origin + 1 + random.nextInt(n - 1)) % n};
  }

  private void start() throws Exception {
    // One I/O thread per host keeps hundreds of hosts in one JVM; the connection limits are the
    // defaults, as a user's node would have them.
    HostConfig config = HostConfig.defaults().withIoThreads(1);
    for (int i = 0; i < options.nodes; i++) {
      Host host =
          new HostBuilder().identity(PrivateKey.generate(KeyType.ED25519)).config(config).build();
      hosts.add(host);
      // Started before listening, as a node does, so identify announces the protocol at once.
      dhts.add(KadDht.create(host, KadConfig.loopback(), KadDht.Mode.SERVER).start());
      addresses.add(host.listen(LOOPBACK).get(10, TimeUnit.SECONDS));
    }
  }

  /** Every node but the first joins from node 0; returns how many joins failed. */
  private int join() throws InterruptedException {
    KadPeer bootstrap = new KadPeer(hosts.get(0).peerId(), List.of(addresses.get(0)));
    Multiaddr dialable = addresses.get(0).withP2p(hosts.get(0).peerId().toBytes());
    return inParallel(
        i ->
            hosts
                .get(i)
                .dial(dialable)
                .thenCompose(c -> dhts.get(i).addPeer(bootstrap))
                .thenCompose(inserted -> dhts.get(i).bootstrap()),
        1);
  }

  /**
   * Runs {@code step} for nodes {@code from..N-1}, at most joinConcurrency at once, waits for all;
   * returns how many failed.
   */
  private int inParallel(IntFunction<CompletableFuture<?>> step, int from)
      throws InterruptedException {
    Semaphore permits = new Semaphore(options.joinConcurrency);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = from; i < options.nodes; i++) {
      permits.acquire();
      CompletableFuture<?> f;
      try {
        f = step.apply(i).orTimeout(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      all.add(f.whenComplete((v, e) -> permits.release()));
    }
    int failed = 0;
    for (CompletableFuture<?> f : all) {
      try {
        f.join();
      } catch (RuntimeException e) {
        failed++;
      }
    }
    return failed;
  }

  private void close() {
    dhts.forEach(KadDht::close);
    List<CompletableFuture<Void>> stops = hosts.stream().map(Host::stop).toList();
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
        .orTimeout(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }

  private static long millisSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }

  /** Shortest paths over "is in the routing table of", from a snapshot of every table. */
  static final class Oracle {
    private final int[][] edges;

    Oracle(List<PeerId> nodes, List<List<PeerId>> tables) {
      Map<PeerId, Integer> index = new HashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        index.put(nodes.get(i), i);
      }
      edges = new int[nodes.size()][];
      for (int i = 0; i < nodes.size(); i++) {
        edges[i] =
            tables.get(i).stream()
                .map(index::get)
                .filter(j -> j != null)
                .mapToInt(Integer::intValue)
                .toArray();
      }
    }

    /**
     * The fewest rounds of a lookup from {@code origin} for {@code target}: the number of peers
     * that must be asked one after another, i.e. the search distance minus one; -1 if no chain of
     * tables leads there.
     */
    int rounds(int origin, int target) {
      int[] distance = new int[edges.length];
      Arrays.fill(distance, -1);
      distance[origin] = 0;
      ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(origin));
      while (!queue.isEmpty()) {
        int at = queue.poll();
        for (int next : edges[at]) {
          if (distance[next] < 0) {
            distance[next] = distance[at] + 1;
            if (next == target) {
              return distance[next] - 1;
            }
            queue.add(next);
          }
        }
      }
      return -1;
    }
  }
}
