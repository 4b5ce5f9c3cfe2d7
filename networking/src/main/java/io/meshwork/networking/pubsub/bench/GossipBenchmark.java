package io.meshwork.networking.pubsub.bench;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.pubsub.GossipConfig;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.pubsub.ReceivedMessage;
import io.meshwork.networking.pubsub.TopicMetrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Runs N gossipsub nodes (real TCP, Noise and Yamux over 127.0.0.1, one I/O thread each) in one
 * JVM, all subscribed to one topic, and publishes messages of each size from random nodes, once
 * with IDONTWANT and once without (a fresh network each time). Prints a table and one JSON line.
 *
 * <p>Definitions, per message size: <b>delivery ratio</b> = first receipts / (messages × (N-1));
 * <b>latency</b> = receipt {@code nanoTime} minus publish {@code nanoTime} (the publisher writes it
 * into the payload, one JVM so one clock), taken in the subscriber handler; <b>duplicates per
 * delivery</b> = increase of the sum of {@link TopicMetrics#duplicates()} over all nodes / first
 * receipts; <b>bytes sent per byte delivered</b> = increase of the sum of {@link
 * GossipService#rpcBytesWritten()} (framed RPC bytes, control and heartbeat traffic included,
 * Yamux/Noise/TCP overhead excluded) / (first receipts × message size). A phase lasts from its
 * first publish until every message is delivered everywhere or a settle timeout passes.
 *
 * <p>Usage: {@code GossipBenchmark [--nodes N] [--degree K] [--messages M] [--sizes 1024,131072]
 * [--rate MSGS_PER_S] [--byte-rate BYTES_PER_S] [--idontwant both|on|off] [--seed S]}. Runs on the
 * calling thread; not thread-safe.
 */
public final class GossipBenchmark {
  static final String TOPIC = "/meshwork/bench/gossip";
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final int HEADER = Integer.BYTES + Long.BYTES;

  /** Benchmark parameters. */
  public record Options(
      int nodes,
      int degree,
      int messages,
      List<Integer> sizes,
      double rate,
      long byteRate,
      List<Boolean> idontwant,
      long seed,
      Duration meshTimeout,
      Duration settleTimeout) {

    public static Options defaults() {
      return new Options(
          100,
          8,
          50,
          List.of(1024, 128 * 1024),
          20,
          256 * 1024,
          List.of(true, false),
          1,
          Duration.ofSeconds(60),
          Duration.ofSeconds(20));
    }

    static Options parse(String[] args) {
      Options o = defaults();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + flag);
        }
        String v = args[++i];
        o =
            switch (flag) {
              case "--nodes" -> o.with(Integer.parseInt(v), o.degree, o.messages, o.sizes);
              case "--degree" -> o.with(o.nodes, Integer.parseInt(v), o.messages, o.sizes);
              case "--messages" -> o.with(o.nodes, o.degree, Integer.parseInt(v), o.sizes);
              case "--sizes" ->
                  o.with(
                      o.nodes,
                      o.degree,
                      o.messages,
                      Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList());
              case "--rate" ->
                  new Options(
                      o.nodes,
                      o.degree,
                      o.messages,
                      o.sizes,
                      Double.parseDouble(v),
                      o.byteRate,
                      o.idontwant,
                      o.seed,
                      o.meshTimeout,
                      o.settleTimeout);
              case "--byte-rate" ->
                  new Options(
                      o.nodes,
                      o.degree,
                      o.messages,
                      o.sizes,
                      o.rate,
                      Long.parseLong(v),
                      o.idontwant,
                      o.seed,
                      o.meshTimeout,
                      o.settleTimeout);
              case "--idontwant" ->
                  new Options(
                      o.nodes,
                      o.degree,
                      o.messages,
                      o.sizes,
                      o.rate,
                      o.byteRate,
                      switch (v) {
                        case "both" -> List.of(true, false);
                        case "on" -> List.of(true);
                        case "off" -> List.of(false);
                        default -> throw new IllegalArgumentException("--idontwant both|on|off");
                      },
                      o.seed,
                      o.meshTimeout,
                      o.settleTimeout);
              case "--seed" ->
                  new Options(
                      o.nodes,
                      o.degree,
                      o.messages,
                      o.sizes,
                      o.rate,
                      o.byteRate,
                      o.idontwant,
                      Long.parseLong(v),
                      o.meshTimeout,
                      o.settleTimeout);
              default -> throw new IllegalArgumentException("unknown option " + flag);
            };
      }
      if (o.nodes < 2 || o.degree < 1 || o.messages < 1 || o.sizes.isEmpty()) {
        throw new IllegalArgumentException("need --nodes >= 2, --degree >= 1, --messages >= 1");
      }
      for (int size : o.sizes) {
        if (size < HEADER) {
          throw new IllegalArgumentException("sizes must be at least " + HEADER + " bytes");
        }
      }
      return o;
    }

    public Options with(int nodes, int degree, int messages, List<Integer> sizes) {
      return new Options(
          nodes,
          degree,
          messages,
          List.copyOf(sizes),
          rate,
          byteRate,
          idontwant,
          seed,
          meshTimeout,
          settleTimeout);
    }

    /** Bounds of the wait for meshes (the run proceeds anyway) and of each phase's settling. */
    public Options withTimeouts(Duration mesh, Duration settle) {
      return new Options(
          nodes, degree, messages, sizes, rate, byteRate, idontwant, seed, mesh, settle);
    }

    public Options withIdontwant(List<Boolean> modes) {
      return new Options(
          nodes,
          degree,
          messages,
          sizes,
          rate,
          byteRate,
          List.copyOf(modes),
          seed,
          meshTimeout,
          settleTimeout);
    }
  }

  /** Figures of one message size in one network run. */
  public record Result(
      boolean idontwant,
      int size,
      int nodes,
      int messages,
      long deliveries,
      double deliveryRatio,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double maxMs,
      double duplicatesPerDelivery,
      double bytesSentPerByteDelivered,
      double phaseSeconds) {

    String json() {
      return String.format(
          Locale.ROOT,
          "{\"idontwant\":%s,\"size\":%d,\"nodes\":%d,\"messages\":%d,\"deliveries\":%d,"
              + "\"deliveryRatio\":%.5f,\"p50Ms\":%.2f,\"p95Ms\":%.2f,\"p99Ms\":%.2f,"
              + "\"maxMs\":%.2f,\"duplicatesPerDelivery\":%.3f,"
              + "\"bytesSentPerByteDelivered\":%.3f,\"phaseSeconds\":%.2f}",
          idontwant,
          size,
          nodes,
          messages,
          deliveries,
          deliveryRatio,
          p50Ms,
          p95Ms,
          p99Ms,
          maxMs,
          duplicatesPerDelivery,
          bytesSentPerByteDelivered,
          phaseSeconds);
    }
  }

  private final Options options;
  private final boolean idontwant;
  private final Random random;
  private final List<Host> hosts = new ArrayList<>();
  private final List<GossipService> services = new ArrayList<>();
  // Per phase: receipts per message and latencies (nanos), written by delivery threads.
  private volatile Phase phase;
  private long heartbeatMillis;

  private GossipBenchmark(Options options, boolean idontwant) {
    this.options = options;
    this.idontwant = idontwant;
    this.random = new Random(options.seed);
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    System.out.printf(
        Locale.ROOT,
        "gossipsub: %d nodes, ~%d dials each, %d messages per size %s, load average %.2f%n",
        options.nodes,
        options.degree,
        options.messages,
        options.sizes,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    List<Result> results = run(options, System.out);
    System.out.println();
    System.out.println(
        "idontwant   size  deliv.ratio   p50 ms   p95 ms   p99 ms   max ms  dup/deliv"
            + "  sent B/deliv B");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-9s %6d  %10.4f %8.1f %8.1f %8.1f %8.1f %10.2f %15.2f%n",
          r.idontwant ? "on" : "off",
          r.size,
          r.deliveryRatio,
          r.p50Ms,
          r.p95Ms,
          r.p99Ms,
          r.maxMs,
          r.duplicatesPerDelivery,
          r.bytesSentPerByteDelivered);
    }
    System.out.println(
        "goals: delivery 1.0; p99 < 100 ms at 1 KiB; < 3 duplicates per delivery at 128 KiB with"
            + " IDONTWANT. Reference: gossipsub v1.0 simulations ~6 sends per delivery; Ethereum"
            + " mainnet ~80% duplicate copies.");
    StringBuilder json = new StringBuilder("{\"benchmark\":\"gossipsub\",\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      json.append(i == 0 ? "" : ",").append(results.get(i).json());
    }
    System.out.println(json.append("]}"));
    System.exit(0);
  }

  /** Runs one fresh network per IDONTWANT mode; progress lines go to {@code log}. */
  public static List<Result> run(Options options, java.io.PrintStream log) throws Exception {
    List<Result> all = new ArrayList<>();
    for (boolean mode : options.idontwant) {
      GossipBenchmark bench = new GossipBenchmark(options, mode);
      try {
        all.addAll(bench.runNetwork(log));
      } finally {
        bench.close();
      }
    }
    return List.copyOf(all);
  }

  private List<Result> runNetwork(java.io.PrintStream log) throws Exception {
    long t0 = System.nanoTime();
    GossipConfig.Builder config = GossipConfig.builder();
    if (!idontwant) {
      config.idontwant(Integer.MAX_VALUE, 1000, 3);
    }
    GossipConfig gossip = config.build();
    heartbeatMillis = gossip.heartbeatInterval().toMillis();
    HostConfig hostConfig = HostConfig.defaults().withIoThreads(1);
    for (int i = 0; i < options.nodes; i++) {
      PrivateKey key = PrivateKey.generate(KeyType.ED25519);
      Host host = new HostBuilder().identity(key).config(hostConfig).build();
      hosts.add(host);
      host.listen(LOOPBACK).get(10, TimeUnit.SECONDS);
      GossipService service =
          new GossipService(host, key, gossip, 32L << 20, p -> Optional.empty());
      services.add(service);
      service.start();
      int index = i;
      service.subscribe(TOPIC, message -> onMessage(index, message));
    }
    connect();
    long meshes = waitForMeshes(gossip.dLo());
    log.printf(
        Locale.ROOT,
        "idontwant %s: %d nodes up, %d connections, meshes %s in %.1f s%n",
        idontwant ? "on" : "off",
        hosts.size(),
        hosts.stream().mapToInt(h -> h.connections().size()).sum() / 2,
        meshes == 0 ? "ready" : meshes + " nodes below Dlo",
        (System.nanoTime() - t0) / 1e9);
    // One unmeasured round of small messages: JIT warm-up, and streams opened on every connection.
    Result warmUp = runPhase(options.sizes.get(0), Math.min(options.messages, 20));
    log.printf(Locale.ROOT, "  warm-up: delivery ratio %.4f%n", warmUp.deliveryRatio);
    List<Result> results = new ArrayList<>();
    for (int size : options.sizes) {
      Result r = runPhase(size, options.messages);
      log.println("  " + r.json());
      results.add(r);
    }
    return results;
  }

  private void connect() throws Exception {
    List<CompletableFuture<?>> dials = new ArrayList<>();
    int n = hosts.size();
    int degree = Math.min(options.degree, n - 1);
    for (int i = 0; i < n; i++) {
      Set<Integer> targets = new HashSet<>();
      while (targets.size() < degree) {
        int j = random.nextInt(n);
        if (j != i) {
          targets.add(j);
        }
      }
      for (int j : targets) {
        Host target = hosts.get(j);
        Multiaddr address = target.listenAddresses().get(0).withP2p(target.peerId().toBytes());
        // A pair that dials each other at once may lose one of the two; one connection suffices.
        dials.add(hosts.get(i).dial(address).exceptionally(e -> null));
      }
      if (dials.size() >= 64) {
        CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        dials.clear();
      }
    }
    CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  /** Returns the number of nodes still below min(Dlo, their connections) when the wait ended. */
  private long waitForMeshes(int dLo) throws InterruptedException {
    long deadline = System.nanoTime() + options.meshTimeout.toNanos();
    long below;
    do {
      Thread.sleep(250);
      below = 0;
      for (int i = 0; i < services.size(); i++) {
        // A node with fewer connections than Dlo can only mesh with all of them.
        int target = Math.min(dLo, hosts.get(i).connections().size());
        if (services.get(i).metrics(TOPIC).map(TopicMetrics::meshSize).orElse(0) < target) {
          below++;
        }
      }
    } while (below > 0 && System.nanoTime() < deadline);
    return below;
  }

  private Result runPhase(int size, int m) throws Exception {
    Phase p = new Phase(size, m, (long) m * (hosts.size() - 1));
    long dupBefore = sum(TopicMetrics::duplicates);
    long bytesBefore = services.stream().mapToLong(GossipService::rpcBytesWritten).sum();
    phase = p;
    double perSecond = Math.min(options.rate, (double) options.byteRate / size);
    long intervalNanos = (long) (1e9 / perSecond);
    long start = System.nanoTime();
    for (int seq = 0; seq < m; seq++) {
      long due = start + seq * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      byte[] data = new byte[size];
      random.nextBytes(data);
      int publisher = random.nextInt(services.size());
      p.publishers.set(seq, publisher); // written before the publish, so visible to receivers
      ByteBuffer.wrap(data).putInt(seq).putLong(System.nanoTime());
      services.get(publisher).publish(TOPIC, data);
    }
    long deadline = System.nanoTime() + options.settleTimeout.toNanos();
    while (p.deliveries.get() < p.expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long end = System.nanoTime();
    // Let in-flight duplicates land so they count in this phase, not the next; and metrics() is a
    // snapshot the service refreshes once per heartbeat, so wait past the next heartbeat.
    Thread.sleep(heartbeatMillis * 3 / 2 + 200);
    phase = null;
    long deliveries = p.deliveries.get();
    long duplicates = sum(TopicMetrics::duplicates) - dupBefore;
    long bytes = services.stream().mapToLong(GossipService::rpcBytesWritten).sum() - bytesBefore;
    long[] lat;
    synchronized (p) {
      lat = Arrays.copyOf(p.latencies, p.count);
    }
    Arrays.sort(lat);
    return new Result(
        idontwant,
        size,
        hosts.size(),
        m,
        deliveries,
        (double) deliveries / p.expected,
        percentile(lat, 0.50),
        percentile(lat, 0.95),
        percentile(lat, 0.99),
        lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6,
        deliveries == 0 ? Double.NaN : (double) duplicates / deliveries,
        deliveries == 0 ? Double.NaN : (double) bytes / ((double) deliveries * size),
        (end - start) / 1e9);
  }

  private long sum(java.util.function.ToLongFunction<TopicMetrics> field) {
    return services.stream()
        .map(s -> s.metrics(TOPIC))
        .flatMap(Optional::stream)
        .mapToLong(field)
        .sum();
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  /** Subscriber handler; runs on each node's delivery thread. */
  private void onMessage(int node, ReceivedMessage message) {
    long now = System.nanoTime();
    Phase p = phase;
    byte[] data = message.data();
    if (p == null || data.length != p.size) {
      return;
    }
    ByteBuffer header = ByteBuffer.wrap(data);
    int seq = header.getInt();
    long sentAt = header.getLong();
    if (seq < 0 || seq >= p.messages || p.publishers.get(seq) == node) {
      // Our own message (if the router hands it back) is not a delivery.
      return;
    }
    p.deliveries.incrementAndGet();
    p.record(now - sentAt);
  }

  private void close() {
    services.forEach(GossipService::close);
    for (Host host : hosts) {
      try {
        host.stop().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Best effort: the JVM ends after the benchmark anyway.
      }
    }
  }

  private static final class Phase {
    final int size;
    final int messages;
    final long expected;
    final AtomicIntegerArray publishers;
    final AtomicInteger deliveries = new AtomicInteger();
    long[] latencies = new long[1024];
    int count;

    Phase(int size, int messages, long expected) {
      this.size = size;
      this.messages = messages;
      this.expected = expected;
      this.publishers = new AtomicIntegerArray(messages);
    }

    synchronized void record(long nanos) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = nanos;
    }
  }
}
