package io.meshwork.node.api;

import com.sun.net.httpserver.HttpExchange;
import io.meshwork.chain.Chain;
import io.meshwork.chain.ChainEvent;
import io.meshwork.chain.mempool.Mempool;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.MalformedEncodingException;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.state.Account;
import io.meshwork.chain.validation.ValidationFailure;
import io.meshwork.node.chain.TransactionIndex;
import io.meshwork.sync.ChainSync;
import io.meshwork.sync.SyncMetrics;
import io.meshwork.sync.mining.MiningLoop;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The {@code /v1/chain/...} endpoints and the chain's lines in {@code /metrics}. Subscribes to the
 * chain once and fans head changes out to event streams (the chain has no unsubscribe) and to a
 * {@link TransactionIndex} of the last {@link #INDEXED_BLOCKS} canonical blocks, which answers
 * {@code /v1/chain/transactions/{hash}} for included transactions. Runs on API threads; the chain
 * listener on the importing thread only offers to bounded queues.
 */
final class ChainApi implements AutoCloseable {
  static final String PREFIX = "/v1/chain/";
  static final String EVENTS = "/v1/chain/events";
  static final int INDEXED_BLOCKS = 1_000;
  private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern HEIGHT = Pattern.compile("[0-9]{1,18}");
  private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F]{40}");

  private final Chain chain;
  private final String networkId;
  private final ChainSync sync;
  private final Optional<MiningLoop> miner;
  private final TransactionIndex index;
  private final Set<Consumer<Map<String, Object>>> clients = new CopyOnWriteArraySet<>();
  private final AtomicLong reorgs = new AtomicLong();
  private volatile boolean closed;

  ChainApi(Chain chain, ChainSync sync, Optional<MiningLoop> miner) {
    this.chain = chain;
    this.networkId = chain.networkId();
    this.sync = sync;
    this.miner = miner;
    this.index = TransactionIndex.follow(chain, INDEXED_BLOCKS);
    chain.subscribe(this::onChainEvent);
  }

  private void onChainEvent(ChainEvent event) {
    if (closed || !(event instanceof ChainEvent.HeadChanged changed)) {
      return;
    }
    Block head = changed.newHead();
    if (changed.isReorganization()) {
      reorgs.incrementAndGet();
      Map<String, Object> reorg = new LinkedHashMap<>();
      reorg.put("type", "reorg");
      reorg.put("depth", changed.removed().size());
      reorg.put("height", head.height());
      reorg.put("hash", head.hash().toHex());
      clients.forEach(c -> c.accept(reorg));
    }
    Map<String, Object> moved = new LinkedHashMap<>();
    moved.put("type", "head");
    moved.put("height", head.height());
    moved.put("hash", head.hash().toHex());
    clients.forEach(c -> c.accept(moved));
  }

  void events(HttpExchange exchange, EventStreams streams) throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET")) {
      try (exchange) {
        ApiServer.requireGet(exchange, method);
      }
      return;
    }
    streams.open(
        exchange,
        "chain events",
        (Consumer<Map<String, Object>> sink) -> {
          clients.add(sink);
          return () -> clients.remove(sink);
        },
        event -> event);
  }

  /** Answers one request under {@link #PREFIX}; the caller closes the exchange. */
  void handle(HttpExchange exchange, String method, String path) throws IOException {
    String rest = path.substring(PREFIX.length());
    if (rest.equals("transactions")) {
      if (!method.equals("POST")) {
        exchange.getResponseHeaders().add("Allow", "POST");
        ApiServer.send(exchange, 405, Map.of("error", method + " not allowed here"));
        return;
      }
      submit(exchange);
      return;
    }
    if (!ApiServer.requireGet(exchange, method)) {
      return;
    }
    if (rest.equals("head")) {
      ApiServer.send(exchange, 200, head());
    } else if (rest.startsWith("blocks/")) {
      block(exchange, rest.substring("blocks/".length()));
    } else if (rest.startsWith("transactions/")) {
      transaction(exchange, rest.substring("transactions/".length()));
    } else if (rest.startsWith("accounts/")) {
      account(exchange, rest.substring("accounts/".length()));
    } else {
      ApiServer.send(exchange, 404, Map.of("error", "no such endpoint: " + path));
    }
  }

  private Map<String, Object> head() {
    BlockHeader header;
    java.math.BigInteger work;
    synchronized (chain) { // one consistent head
      header = chain.headHeader();
      work = chain.headCumulativeWork();
    }
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("hash", header.hash().toHex());
    head.put("height", header.height());
    head.put("totalWork", work.toString());
    head.put("timestamp", header.timestampMillis());
    head.put("network", networkId);
    head.put("genesisHash", chain.genesisHash().toHex());
    return head;
  }

  private void block(HttpExchange exchange, String id) throws IOException {
    Optional<Block> block;
    if (HEIGHT.matcher(id).matches()) {
      block = chain.blockAt(Long.parseLong(id));
    } else if (HASH.matcher(id).matches()) {
      block = chain.block(Hash.fromHex(id));
    } else {
      ApiServer.send(
          exchange, 400, Map.of("error", "not a block hash (64 hex digits) or height: " + id));
      return;
    }
    if (block.isEmpty()) {
      ApiServer.send(exchange, 404, Map.of("error", "no block " + id));
      return;
    }
    boolean full = "full=true".equals(exchange.getRequestURI().getRawQuery());
    ApiServer.send(exchange, 200, blockJson(block.get(), full));
  }

  private Map<String, Object> blockJson(Block block, boolean full) {
    BlockHeader header = block.header();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("hash", block.hash().toHex());
    json.put("height", header.height());
    json.put("parent", header.parent().toHex());
    json.put("timestamp", header.timestampMillis());
    json.put("transactionsRoot", header.transactionsRoot().toHex());
    json.put("stateRoot", header.stateRoot().toHex());
    json.put("difficultyBits", Integer.toHexString(header.difficultyBits()));
    json.put("nonce", header.nonce());
    json.put("canonical", chain.isCanonical(block.hash()));
    List<Object> txs =
        block.transactions().stream()
            .map(tx -> full ? (Object) transactionJson(tx) : tx.id().toHex())
            .toList();
    json.put("transactions", txs);
    return json;
  }

  static Map<String, Object> transactionJson(Transaction tx) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("hash", tx.id().toHex());
    json.put("from", tx.from().toHex());
    json.put("to", tx.to().toHex());
    json.put("amount", tx.amount());
    json.put("fee", tx.fee());
    json.put("nonce", tx.nonce());
    return json;
  }

  private void transaction(HttpExchange exchange, String id) throws IOException {
    if (!HASH.matcher(id).matches()) {
      ApiServer.send(
          exchange, 400, Map.of("error", "not a transaction hash (64 hex digits): " + id));
      return;
    }
    Hash hash = Hash.fromHex(id);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("hash", hash.toHex());
    Optional<TransactionIndex.Inclusion> included = index.find(hash);
    if (included.isPresent()) {
      json.put("status", "included");
      json.put("block", included.get().block().toHex());
      json.put("height", included.get().height());
    } else if (chain.mempoolTransaction(hash).isPresent()) {
      json.put("status", "pending");
    } else {
      ApiServer.send(
          exchange,
          404,
          Map.of(
              "error",
              "transaction "
                  + id
                  + " is neither pending nor in the last "
                  + INDEXED_BLOCKS
                  + " blocks"));
      return;
    }
    ApiServer.send(exchange, 200, json);
  }

  private void submit(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(Transaction.MAX_ENCODED_SIZE + 1);
    }
    Transaction tx;
    try {
      tx = Transaction.decode(body);
    } catch (MalformedEncodingException | IllegalArgumentException e) {
      ApiServer.send(
          exchange,
          400,
          error("MALFORMED_ENCODING", "not a canonical transaction encoding: " + e.getMessage()));
      return;
    }
    Mempool.AddResult result = sync.submit(tx); // gossiped if new
    if (result instanceof Mempool.Rejected rejected) {
      ValidationFailure failure = rejected.failure();
      ApiServer.send(
          exchange, status(failure.reason()), error(failure.reason().name(), failure.message()));
      return;
    }
    ApiServer.send(exchange, 202, Map.of("hash", tx.id().toHex()));
  }

  /**
   * 400 for a transaction that is wrong in itself, 409 for one that conflicts with the sender's
   * account or pending transactions (nonce used, too far ahead, a replacement paying too little, a
   * duplicate), 503 when the mempool is full.
   */
  static int status(ValidationFailure.Reason reason) {
    return switch (reason) {
      case BAD_NONCE, NONCE_TOO_FAR_AHEAD, REPLACEMENT_FEE_TOO_LOW, ALREADY_KNOWN -> 409;
      case MEMPOOL_FULL -> 503;
      default -> 400;
    };
  }

  private static Map<String, Object> error(String reason, String message) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("error", message);
    json.put("reason", reason);
    return json;
  }

  private void account(HttpExchange exchange, String id) throws IOException {
    if (!ADDRESS.matcher(id).matches()) {
      ApiServer.send(exchange, 400, Map.of("error", "not an address (40 hex digits): " + id));
      return;
    }
    Address address = Address.fromHex(id);
    Account account = chain.account(address);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("address", address.toHex());
    json.put("balance", account.balance());
    json.put("nonce", account.nonce());
    json.put("pendingNonce", pendingNonce(address, account.nonce()));
    ApiServer.send(exchange, 200, json);
  }

  /**
   * The next nonce after the sender's pending run. The mempool has no per-sender lookup, so this
   * scans it (at most its 20,000 transactions by default).
   */
  private long pendingNonce(Address sender, long confirmed) {
    Set<Long> pending = new HashSet<>();
    for (Hash id : chain.mempoolIds()) {
      chain
          .mempoolTransaction(id)
          .filter(tx -> tx.from().equals(sender))
          .ifPresent(tx -> pending.add(tx.nonce()));
    }
    long next = confirmed;
    while (pending.contains(next)) {
      next++;
    }
    return next;
  }

  void metrics(StringBuilder text) {
    BlockHeader header;
    java.math.BigInteger work;
    Chain.Stats stats;
    synchronized (chain) {
      header = chain.headHeader();
      work = chain.headCumulativeWork();
      stats = chain.stats();
    }
    ApiServer.metric(
        text, "meshwork_chain_head_height", "gauge", "Height of the head.", header.height());
    text.append("# HELP meshwork_chain_total_work Cumulative work of the head.\n")
        .append("# TYPE meshwork_chain_total_work gauge\n")
        .append("meshwork_chain_total_work ")
        .append(work)
        .append('\n');
    ApiServer.metric(
        text,
        "meshwork_mempool_transactions",
        "gauge",
        "Pending transactions.",
        stats.mempoolTransactions());
    ApiServer.metric(
        text,
        "meshwork_mempool_bytes",
        "gauge",
        "Pending transaction bytes.",
        stats.mempoolBytes());
    ApiServer.metric(
        text, "meshwork_chain_orphans", "gauge", "Blocks held for a parent.", stats.orphans());
    ApiServer.metric(
        text, "meshwork_chain_reorgs_total", "counter", "Reorganisations.", reorgs.get());
    ApiServer.metric(
        text,
        "meshwork_mining_blocks_mined_total",
        "counter",
        "Blocks this node mined that became the head.",
        miner.map(MiningLoop::blocksMined).orElse(0L));
    ApiServer.metric(
        text,
        "meshwork_mining_stale_total",
        "counter",
        "Blocks this node mined after the head had moved on.",
        miner.map(MiningLoop::staleBlocks).orElse(0L));
    syncMetrics(text, sync.metrics());
  }

  private static void syncMetrics(StringBuilder text, SyncMetrics.Snapshot m) {
    counter(text, "blocks_received", "Block announcements taken from gossip.", m.blocksReceived());
    counter(text, "blocks_relayed", "Announced blocks imported and forwarded.", m.blocksAccepted());
    counter(text, "blocks_rejected", "Invalid block announcements.", m.blocksRejected());
    counter(text, "blocks_ignored", "Known, orphaned or shed announcements.", m.blocksIgnored());
    counter(text, "blocks_announced", "Blocks this node announced.", m.blocksPublished());
    counter(
        text,
        "block_gossip_bytes",
        "Decompressed bytes of block announcements received.",
        m.blockGossipBytes());
    counter(
        text,
        "block_fetch_bytes",
        "Bytes of block-txs and blocks-by-hash answers received.",
        m.blockFetchBytes());
    counter(
        text,
        "compact_rebuilt_without_round_trip",
        "Compact blocks rebuilt from the mempool alone.",
        m.compactWithoutRoundTrip());
    counter(
        text,
        "compact_rebuilt_with_round_trip",
        "Compact blocks rebuilt after fetching missing transactions.",
        m.compactWithRoundTrip());
    counter(
        text,
        "compact_full_fallbacks",
        "Compact blocks that needed the full block.",
        m.compactFellBackToFull());
    counter(
        text,
        "orphan_blocks_received",
        "Announced blocks without a known parent.",
        m.orphansReceived());
    counter(
        text,
        "catch_up_blocks",
        "Blocks fetched walking back from a peer's head.",
        m.catchUpBlocks());
    counter(text, "txs_received", "Transactions in gossip batches.", m.txsReceived());
    counter(text, "txs_accepted", "Gossiped transactions new to the mempool.", m.txsAccepted());
    counter(text, "txs_rejected", "Invalid transaction batches or transactions.", m.txsRejected());
    counter(
        text,
        "tx_batches_published",
        "Transaction batches this node published.",
        m.txBatchesPublished());
    counter(
        text,
        "validations_shed",
        "Gossip messages ignored because validation was full.",
        m.validationsShed());
    counter(
        text,
        "wrong_network_peers",
        "Peers disconnected for another network.",
        m.wrongNetworkPeers());
  }

  private static void counter(StringBuilder text, String name, String help, long value) {
    ApiServer.metric(text, "meshwork_sync_" + name + "_total", "counter", help, value);
  }

  @Override
  public void close() {
    // The chain outlives the API and cannot unsubscribe: stop fanning out.
    closed = true;
    clients.clear();
  }
}
