package io.meshwork.sync.bench;

import io.meshwork.chain.Chain;
import io.meshwork.chain.ChainConfig;
import io.meshwork.chain.ChainEvent;
import io.meshwork.chain.ImportResult;
import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.genesis.Genesis;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.mempool.MempoolConfig;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.store.InMemoryKeyValueStore;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.pubsub.GossipConfig;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.reqresp.ReqResp;
import io.meshwork.networking.reqresp.ReqRespMetrics;
import io.meshwork.sync.BlockRelayMode;
import io.meshwork.sync.ChainSync;
import io.meshwork.sync.ContentMessageIds;
import io.meshwork.sync.SyncConfig;
import io.meshwork.sync.SyncMetrics;
import io.meshwork.sync.SyncProtocols;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs N chain nodes (host with TCP, Noise and Yamux on 127.0.0.1, gossipsub, request/response, an
 * in-memory chain and {@link ChainSync}) in one JVM, and measures block and transaction
 * propagation, once with compact block relay and once with full-block relay (a fresh network each),
 * so the full-block run is the reference printed beside the compact one.
 *
 * <p>Each round: {@code txs} transactions from distinct funded accounts, all but a few submitted at
 * random nodes (gossiped, batched), the rest only at the round's miner (so its block is "mostly" in
 * every mempool); once every mempool holds the gossiped ones and gossip has settled, the miner
 * assembles and imports a block (trivial proof of work) and every node's head change is timed.
 * Definitions: <b>block latency</b> = a node's head-change {@code nanoTime} minus the miner's
 * import, over all other nodes and rounds; <b>bytes per node per block</b> = the median over rounds
 * of: increase of Σ {@link GossipService#rpcBytesWritten()} + Σ request/response bytes written over
 * the block window (from the import until every node has the block plus 500 ms), divided by N,
 * minus the heartbeat traffic of that window (the byte rate of a 1 s idle window just before);
 * <b>rebuilt without a round trip</b> = compact blocks rebuilt from the mempool alone / compact
 * blocks rebuilt; <b>transaction latency</b> = first time a sampled transaction is seen in a node's
 * mempool (polled every 2 ms) minus its submission. Two unmeasured rounds warm the JIT first.
 * References printed with the figures: the CPU bound of every node admitting every transaction and
 * of every node importing the block, on this machine's cores.
 *
 * <p>Usage: {@code PropagationBenchmark [--nodes N] [--degree K] [--rounds R] [--txs T]
 * [--unannounced U] [--modes compact,full] [--seed S]}. Runs on the calling thread.
 */
public final class PropagationBenchmark {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final int SAMPLED_TXS = 20;
  private static final int WARM_UP_ROUNDS = 2;

  /** Benchmark parameters. */
  public record Options(
      int nodes,
      int degree,
      int rounds,
      int txs,
      int unannounced,
      List<BlockRelayMode> modes,
      long seed) {

    public static Options defaults() {
      return new Options(
          50, 4, 10, 1_000, 20, List.of(BlockRelayMode.COMPACT, BlockRelayMode.FULL), 1);
    }

    static Options parse(String[] args) {
      Options o = defaults();
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : "";
        switch (args[i]) {
          case "--nodes" ->
              o =
                  o.with(
                      Integer.parseInt(value),
                      o.degree,
                      o.rounds,
                      o.txs,
                      o.unannounced,
                      o.modes,
                      o.seed);
          case "--degree" ->
              o =
                  o.with(
                      o.nodes,
                      Integer.parseInt(value),
                      o.rounds,
                      o.txs,
                      o.unannounced,
                      o.modes,
                      o.seed);
          case "--rounds" ->
              o =
                  o.with(
                      o.nodes,
                      o.degree,
                      Integer.parseInt(value),
                      o.txs,
                      o.unannounced,
                      o.modes,
                      o.seed);
          case "--txs" ->
              o =
                  o.with(
                      o.nodes,
                      o.degree,
                      o.rounds,
                      Integer.parseInt(value),
                      o.unannounced,
                      o.modes,
                      o.seed);
          case "--unannounced" ->
              o =
                  o.with(
                      o.nodes, o.degree, o.rounds, o.txs, Integer.parseInt(value), o.modes, o.seed);
          case "--modes" ->
              o =
                  o.with(
                      o.nodes,
                      o.degree,
                      o.rounds,
                      o.txs,
                      o.unannounced,
                      Arrays.stream(value.split(","))
                          .map(m -> BlockRelayMode.valueOf(m.trim().toUpperCase(Locale.ROOT)))
                          .toList(),
                      o.seed);
          case "--seed" ->
              o =
                  o.with(
                      o.nodes,
                      o.degree,
                      o.rounds,
                      o.txs,
                      o.unannounced,
                      o.modes,
                      Long.parseLong(value));
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
      if (o.nodes < 2 || o.rounds < 1 || o.txs < 1 || o.unannounced < 0 || o.unannounced > o.txs) {
        throw new IllegalArgumentException(
            "need --nodes >= 2, --rounds >= 1, 0 <= --unannounced <= --txs");
      }
      return o;
    }

    private Options with(
        int nodes,
        int degree,
        int rounds,
        int txs,
        int unannounced,
        List<BlockRelayMode> modes,
        long seed) {
      return new Options(nodes, degree, rounds, txs, unannounced, modes, seed);
    }
  }

  /** The figures of one relay mode. */
  public record Result(
      BlockRelayMode mode,
      int nodes,
      int blocks,
      double meanBlockBytes,
      double blockP50Millis,
      double blockP95Millis,
      double blockP99Millis,
      double bytesPerNodePerBlock,
      double rebuiltWithoutRoundTrip,
      long compactRebuilt,
      long fullFallbacks,
      double txP50Millis,
      double txP99Millis,
      double mempoolFillMillis,
      double admissionBoundMillis,
      double importMillis,
      double importBoundMillis) {

    String json() {
      return String.format(
          Locale.ROOT,
          "{\"mode\":\"%s\",\"nodes\":%d,\"blocks\":%d,\"blockBytes\":%.0f,\"blockP50Ms\":%.1f,"
              + "\"blockP95Ms\":%.1f,\"blockP99Ms\":%.1f,\"bytesPerNodePerBlock\":%.0f,"
              + "\"rebuiltWithoutRoundTrip\":%.3f,\"fullFallbacks\":%d,\"txP50Ms\":%.1f,"
              + "\"txP99Ms\":%.1f,\"mempoolFillMs\":%.0f,\"admissionBoundMs\":%.0f,\"importMs\":%.1f,"
              + "\"importBoundMs\":%.0f}",
          mode.name().toLowerCase(Locale.ROOT),
          nodes,
          blocks,
          meanBlockBytes,
          blockP50Millis,
          blockP95Millis,
          blockP99Millis,
          bytesPerNodePerBlock,
          rebuiltWithoutRoundTrip,
          fullFallbacks,
          txP50Millis,
          txP99Millis,
          mempoolFillMillis,
          admissionBoundMillis,
          importMillis,
          importBoundMillis);
    }
  }

  private final Options options;
  private final BlockRelayMode mode;
  private final Random random;
  private final List<SigningKey> accounts;
  private final GenesisConfig genesis;
  private final Hash genesisHash;
  private final long[] nonces;
  private final List<BenchNode> nodes = new ArrayList<>();
  private final Map<Hash, AtomicLongArray> headArrivals = new ConcurrentHashMap<>();

  private PropagationBenchmark(Options options, BlockRelayMode mode, List<SigningKey> accounts) {
    this.options = options;
    this.mode = mode;
    this.random = new Random(options.seed);
    this.accounts = accounts;
    Map<Address, Long> balances = new LinkedHashMap<>();
    accounts.forEach(k -> balances.put(k.address(), 1_000_000_000_000L));
    ConsensusParams tests = ConsensusParams.forTests();
    this.genesis =
        new GenesisConfig(
            "bench", System.currentTimeMillis() - 60_000, balances, tests.powLimitBits(), tests);
    this.genesisHash = Genesis.block(genesis).hash();
    this.nonces = new long[accounts.size()];
  }

  public static void main(String[] args) throws Exception {
    List<Result> results = run(Options.parse(args), System.out);
    System.out.println();
    printTable(results, System.out);
  }

  public static List<Result> run(Options options, PrintStream log) throws Exception {
    List<SigningKey> accounts = new ArrayList<>();
    Random seeds = new Random(options.seed);
    for (int i = 0; i < options.txs; i++) {
      byte[] seed = new byte[32];
      seeds.nextBytes(seed);
      accounts.add(SigningKey.fromSeed(seed));
    }
    List<Result> results = new ArrayList<>();
    for (BlockRelayMode mode : options.modes) {
      PropagationBenchmark bench = new PropagationBenchmark(options, mode, accounts);
      try {
        results.add(bench.runNetwork(log));
      } finally {
        bench.close();
      }
    }
    return results;
  }

  private Result runNetwork(PrintStream log) throws Exception {
    long t0 = System.nanoTime();
    SyncConfig syncConfig = SyncConfig.defaults().withRelayMode(mode);
    SyncProtocols protocols = SyncProtocols.of(genesis.networkId(), genesis.params());
    GossipConfig gossipConfig =
        ContentMessageIds.configure(GossipConfig.builder(), protocols).build();
    HostConfig hostConfig = HostConfig.defaults().withIoThreads(1);
    ChainConfig chainConfig = ChainConfig.defaults(genesis).withMempool(MempoolConfig.defaults());
    for (int i = 0; i < options.nodes; i++) {
      nodes.add(
          BenchNode.start(
              i, hostConfig, gossipConfig, chainConfig, syncConfig, headArrivals, options.nodes));
    }
    connect();
    waitForMeshes(protocols);
    log.printf(
        Locale.ROOT,
        "%s relay: %d nodes up, %d connections, meshes formed in %.1f s%n",
        mode.name().toLowerCase(Locale.ROOT),
        nodes.size(),
        nodes.stream().mapToInt(n -> n.host.connections().size()).sum() / 2,
        (System.nanoTime() - t0) / 1e9);
    // Warm-up, not measured: JIT on the full-size paths, streams open on every connection.
    for (int w = 0; w < WARM_UP_ROUNDS; w++) {
      round(w, options.txs, false);
    }
    List<Double> blockLatencies = new ArrayList<>();
    List<Double> txLatencies = new ArrayList<>();
    double blockBytes = 0;
    List<Double> fills = new ArrayList<>();
    List<Double> imports = new ArrayList<>();
    Rebuilds before = totals();
    List<Double> roundBytes = new ArrayList<>();
    for (int r = 1; r <= options.rounds; r++) {
      Round round = round(WARM_UP_ROUNDS + r, options.txs, true);
      roundBytes.add(round.bytesPerNode);
      blockLatencies.addAll(round.blockLatencies);
      txLatencies.addAll(round.txLatencies);
      blockBytes += round.blockBytes;
      fills.add(round.fillMillis);
      imports.add(round.importMillis);
      log.printf(
          Locale.ROOT,
          "  round %d: block %d txs %d bytes, p99 %.1f ms to %d nodes, %.0f bytes per node%n",
          r,
          round.blockTxs,
          round.blockBytes,
          percentile(round.blockLatencies, 0.99),
          round.blockLatencies.size(),
          round.bytesPerNode);
    }
    Rebuilds after = totals();
    long withoutRoundTrip = after.withoutRoundTrip() - before.withoutRoundTrip();
    long withRoundTrip = after.withRoundTrip() - before.withRoundTrip();
    long fallbacks = after.fellBackToFull() - before.fellBackToFull();
    long rebuilt = withoutRoundTrip + withRoundTrip + fallbacks;
    Result result =
        new Result(
            mode,
            options.nodes,
            options.rounds,
            blockBytes / options.rounds,
            percentile(blockLatencies, 0.50),
            percentile(blockLatencies, 0.95),
            percentile(blockLatencies, 0.99),
            percentile(roundBytes, 0.50),
            rebuilt == 0 ? Double.NaN : (double) withoutRoundTrip / rebuilt,
            rebuilt,
            fallbacks,
            percentile(txLatencies, 0.50),
            percentile(txLatencies, 0.99),
            percentile(fills, 0.50),
            admissionBoundMillis(),
            percentile(imports, 0.50),
            percentile(imports, 0.50)
                * (options.nodes - 1)
                / Runtime.getRuntime().availableProcessors());
    log.println("  " + result.json());
    return result;
  }

  private record Round(
      List<Double> blockLatencies,
      List<Double> txLatencies,
      double bytesPerNode,
      int blockBytes,
      int blockTxs,
      double fillMillis,
      double importMillis) {}

  private Round round(int index, int txCount, boolean measured) throws Exception {
    BenchNode miner = nodes.get(index % nodes.size());
    int unannounced = Math.min(options.unannounced, txCount);
    List<Transaction> gossiped = new ArrayList<>();
    List<Long> submittedAt = new ArrayList<>();
    long submitStart = System.nanoTime();
    for (int a = 0; a < txCount; a++) {
      Transaction tx =
          Transaction.sign(
              accounts.get(a),
              genesisHash,
              accounts.get((a + 1) % accounts.size()).address(),
              1,
              1,
              nonces[a]++);
      if (a < unannounced) {
        miner.chain.submit(tx); // only the miner has it: its compact block must carry it
      } else {
        BenchNode at = nodes.get(random.nextInt(nodes.size()));
        submittedAt.add(System.nanoTime());
        at.sync.submit(tx);
        gossiped.add(tx);
      }
    }
    List<Double> txLatencies = sampleTransactions(gossiped, submittedAt);
    awaitMempools(gossiped.size());
    double fillMillis = (System.nanoTime() - submitStart) / 1e6;
    // Let the transaction gossip (IHAVE windows) die down, then measure the heartbeat noise.
    Thread.sleep(2_500);
    long idleStart = System.nanoTime();
    long idleBytes = bytesWritten();
    Thread.sleep(1_000);
    double noisePerNano = (double) (bytesWritten() - idleBytes) / (System.nanoTime() - idleStart);
    Block block =
        miner.chain.produceBlock(100_000).orElseThrow(() -> new IllegalStateException("no block"));
    AtomicLongArray arrivals = new AtomicLongArray(nodes.size());
    headArrivals.put(block.hash(), arrivals);
    long blockStartBytes = bytesWritten();
    long start = System.nanoTime();
    ImportResult imported = miner.chain.importBlock(block);
    double importMillis = (System.nanoTime() - start) / 1e6;
    if (!(imported instanceof ImportResult.NewHead)) {
      throw new IllegalStateException("the miner did not adopt its block: " + imported);
    }
    awaitEverywhere(block.hash(), arrivals, Duration.ofSeconds(30));
    Thread.sleep(500);
    long blockWindow = System.nanoTime() - start;
    double blockWindowBytes = bytesWritten() - blockStartBytes - noisePerNano * blockWindow;
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < arrivals.length(); i++) {
      if (nodes.get(i) != miner) {
        latencies.add((arrivals.get(i) - start) / 1e6);
      }
    }
    headArrivals.remove(block.hash());
    if (!measured) {
      return new Round(
          List.of(),
          List.of(),
          0,
          block.encodedSize(),
          block.transactions().size(),
          fillMillis,
          importMillis);
    }
    return new Round(
        latencies,
        txLatencies,
        Math.max(0, blockWindowBytes) / nodes.size(),
        block.encodedSize(),
        block.transactions().size(),
        fillMillis,
        importMillis);
  }

  /**
   * The physical limit of transaction propagation here: every node must verify and admit every
   * transaction, so one round needs at least nodes × txs admissions spread over this machine's
   * cores. Measured in the same run: a fresh chain admitting {@code txs} transactions on one
   * thread.
   */
  private double admissionBoundMillis() {
    Chain probe =
        Chain.open(ChainConfig.defaults(genesis), new InMemoryKeyValueStore(), Clock.systemUTC());
    List<Transaction> txs = new ArrayList<>();
    for (int a = 0; a < options.txs; a++) {
      txs.add(
          Transaction.sign(
              accounts.get(a),
              genesisHash,
              accounts.get((a + 1) % accounts.size()).address(),
              1,
              1,
              0));
    }
    long start = System.nanoTime();
    txs.forEach(probe::submit);
    double perTxNanos = (double) (System.nanoTime() - start) / txs.size();
    double gossipedPerRound = options.txs - options.unannounced;
    int cores = Runtime.getRuntime().availableProcessors();
    return gossipedPerRound * options.nodes * perTxNanos / cores / 1e6;
  }

  /** Polls every node's mempool for a sample of the gossiped transactions. */
  private List<Double> sampleTransactions(List<Transaction> gossiped, List<Long> submittedAt) {
    int samples = Math.min(SAMPLED_TXS, gossiped.size());
    long[][] seen = new long[samples][nodes.size()];
    int[] sampleIndex = new int[samples];
    for (int s = 0; s < samples; s++) {
      sampleIndex[s] = s * gossiped.size() / samples;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int missing = samples * nodes.size();
    while (missing > 0 && System.nanoTime() < deadline) {
      for (int s = 0; s < samples; s++) {
        Hash id = gossiped.get(sampleIndex[s]).id();
        for (int n = 0; n < nodes.size(); n++) {
          if (seen[s][n] == 0 && nodes.get(n).chain.mempoolTransaction(id).isPresent()) {
            seen[s][n] = System.nanoTime();
            missing--;
          }
        }
      }
      LockSupport.parkNanos(2_000_000);
    }
    List<Double> latencies = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      for (int n = 0; n < nodes.size(); n++) {
        latencies.add(
            seen[s][n] == 0
                ? Double.POSITIVE_INFINITY
                : (seen[s][n] - submittedAt.get(sampleIndex[s])) / 1e6);
      }
    }
    return latencies;
  }

  private void awaitMempools(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (nodes.stream().allMatch(n -> n.chain.mempoolSize() >= count)) {
        return;
      }
      Thread.sleep(5);
    }
  }

  private void awaitEverywhere(Hash block, AtomicLongArray arrivals, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (missing(arrivals) == 0) {
        return;
      }
      Thread.sleep(1);
    }
    int missing = missing(arrivals);
    for (int i = 0; i < arrivals.length(); i++) {
      // Never arrived: counted as later than any percentile can hide.
      arrivals.compareAndSet(i, 0, Long.MAX_VALUE / 2);
    }
    System.err.printf("block %s did not reach %d nodes in %s%n", block, missing, timeout);
  }

  private static int missing(AtomicLongArray arrivals) {
    int missing = 0;
    for (int i = 0; i < arrivals.length(); i++) {
      if (arrivals.get(i) == 0) {
        missing++;
      }
    }
    return missing;
  }

  private long bytesWritten() {
    long sum = 0;
    for (BenchNode n : nodes) {
      sum += n.gossip.rpcBytesWritten();
      for (ReqRespMetrics m : n.reqResp.metrics().values()) {
        sum += m.bytesOut();
      }
    }
    return sum;
  }

  /** Compact block outcomes summed over all nodes. */
  private record Rebuilds(long withoutRoundTrip, long withRoundTrip, long fellBackToFull) {}

  private Rebuilds totals() {
    long without = 0;
    long with = 0;
    long fallback = 0;
    for (BenchNode n : nodes) {
      SyncMetrics.Snapshot s = n.sync.metrics();
      without += s.compactWithoutRoundTrip();
      with += s.compactWithRoundTrip();
      fallback += s.compactFellBackToFull();
    }
    return new Rebuilds(without, with, fallback);
  }

  /**
   * Each node dials {@code degree} random others, each pair once (two dials racing each other
   * between the same pair would leave one connection to close on both sides).
   */
  private void connect() throws Exception {
    List<CompletableFuture<?>> dials = new ArrayList<>();
    int n = nodes.size();
    int degree = Math.min(options.degree, n - 1);
    Set<Long> pairs = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Set<Integer> targets = new HashSet<>();
      for (int attempt = 0; targets.size() < degree && attempt < 100 * degree; attempt++) {
        int j = random.nextInt(n);
        if (j != i && pairs.add((long) Math.min(i, j) * n + Math.max(i, j))) {
          targets.add(j);
        }
      }
      for (int j : targets) {
        dials.add(nodes.get(i).host.dial(nodes.get(j).address()));
      }
    }
    CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private void waitForMeshes(SyncProtocols protocols) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (BenchNode n : nodes) {
        int want = Math.min(3, n.host.connections().size());
        ready &= n.gossip.meshPeers(protocols.blockTopic()).get().size() >= want;
        ready &= n.gossip.meshPeers(protocols.txTopic()).get().size() >= want;
      }
      if (ready) {
        return;
      }
      Thread.sleep(200);
    }
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static void printTable(List<Result> results, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-8s %6s %10s %9s %9s %9s %14s %12s %9s%n",
        "relay",
        "nodes",
        "block B",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "B/node/block",
        "no-RTT %",
        "tx p99");
    for (Result r : results) {
      out.printf(
          Locale.ROOT,
          "%-8s %6d %10.0f %9.1f %9.1f %9.1f %14.0f %12s %9.1f%n",
          r.mode().name().toLowerCase(Locale.ROOT),
          r.nodes(),
          r.meanBlockBytes(),
          r.blockP50Millis(),
          r.blockP95Millis(),
          r.blockP99Millis(),
          r.bytesPerNodePerBlock(),
          Double.isNaN(r.rebuiltWithoutRoundTrip())
              ? "-"
              : String.format(Locale.ROOT, "%.1f", 100 * r.rebuiltWithoutRoundTrip()),
          r.txP99Millis());
    }
    Optional<Result> compact =
        results.stream().filter(r -> r.mode() == BlockRelayMode.COMPACT).findFirst();
    Optional<Result> full =
        results.stream().filter(r -> r.mode() == BlockRelayMode.FULL).findFirst();
    results.stream()
        .findFirst()
        .ifPresent(
            r ->
                out.printf(
                    Locale.ROOT,
                    "transactions: every mempool held a round's gossiped transactions after"
                        + " %.0f ms (median); the CPU bound for %d nodes verifying them on this"
                        + " machine's cores is %.0f ms%n",
                    r.mempoolFillMillis(),
                    r.nodes(),
                    r.admissionBoundMillis()));
    results.forEach(
        r ->
            out.printf(
                Locale.ROOT,
                "%s: one node imports a block in %.1f ms; the CPU bound for the other %d nodes"
                    + " importing it on this machine's cores is %.0f ms (block p99 %.1f ms)%n",
                r.mode().name().toLowerCase(Locale.ROOT),
                r.importMillis(),
                r.nodes() - 1,
                r.importBoundMillis(),
                r.blockP99Millis()));
    if (compact.isPresent() && full.isPresent()) {
      out.printf(
          Locale.ROOT,
          "compact relay sends %.1f%% of full relay's bytes per node per block (goal <= 10%%);"
              + " blocks rebuilt without a round trip: %.1f%% (goal >= 90%%); block p99 %.1f ms"
              + " (goal < 300 ms)%n",
          100 * compact.get().bytesPerNodePerBlock() / full.get().bytesPerNodePerBlock(),
          100 * compact.get().rebuiltWithoutRoundTrip(),
          compact.get().blockP99Millis());
    }
  }

  private void close() {
    nodes.parallelStream().forEach(BenchNode::close);
  }

  /** One node of the benchmark network. */
  private static final class BenchNode {
    final Host host;
    final GossipService gossip;
    final ReqResp reqResp;
    final Chain chain;
    final ChainSync sync;

    private BenchNode(
        Host host, GossipService gossip, ReqResp reqResp, Chain chain, ChainSync sync) {
      this.host = host;
      this.gossip = gossip;
      this.reqResp = reqResp;
      this.chain = chain;
      this.sync = sync;
    }

    static BenchNode start(
        int index,
        HostConfig hostConfig,
        GossipConfig gossipConfig,
        ChainConfig chainConfig,
        SyncConfig syncConfig,
        Map<Hash, AtomicLongArray> headArrivals,
        int nodes)
        throws Exception {
      PrivateKey key = PrivateKey.generate(KeyType.ED25519);
      Host host = new HostBuilder().identity(key).config(hostConfig).build();
      GossipService gossip =
          new GossipService(host, key, gossipConfig, 32L << 20, p -> Optional.empty());
      gossip.start();
      ReqResp reqResp = ReqResp.start(host);
      Chain chain = Chain.open(chainConfig, new InMemoryKeyValueStore(), Clock.systemUTC());
      chain.subscribe(
          event -> {
            if (event instanceof ChainEvent.HeadChanged changed) {
              AtomicLongArray arrivals = headArrivals.get(changed.newHead().hash());
              if (arrivals != null) {
                arrivals.compareAndSet(index, 0, System.nanoTime());
              }
            }
          });
      ChainSync sync = ChainSync.start(host, gossip, reqResp, chain, syncConfig);
      host.listen(LOOPBACK).get(10, TimeUnit.SECONDS);
      return new BenchNode(host, gossip, reqResp, chain, sync);
    }

    Multiaddr address() {
      return host.listenAddresses().get(0).withP2p(host.peerId().toBytes());
    }

    void close() {
      sync.close();
      reqResp.close();
      gossip.close();
      host.close();
    }
  }
}
