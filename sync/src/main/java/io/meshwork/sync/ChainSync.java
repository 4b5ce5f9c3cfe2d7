package io.meshwork.sync;

import io.meshwork.chain.Chain;
import io.meshwork.chain.mempool.Mempool;
import io.meshwork.chain.model.Transaction;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.reqresp.ReqResp;
import io.meshwork.sync.wire.StatusMessage;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one chain over the network: the transaction and block topics (with compact block relay),
 * the status exchange that keeps other networks out, the chain's request/response protocols, and
 * catch-up from heavier peers. Built with {@link #start}; {@link #close} stops it (the host,
 * gossip, request/response framework and chain stay open: their owner closes them).
 *
 * <p>Gossipsub must be configured with {@link ContentMessageIds#configure} for this network's
 * topics. Thread-safe.
 */
public final class ChainSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChainSync.class);

  private final Host host;
  private final GossipService gossip;
  private final ReqResp reqResp;
  private final SyncProtocols protocols;
  private final SyncMetrics metrics;
  private final ThreadPoolExecutor blockExecutor;
  private final ThreadPoolExecutor txExecutor;
  private final ScheduledExecutorService batchThread;
  private final TransactionRelay txRelay;
  private final BlockRelay blockRelay;
  private final StatusExchange status;
  private final Subscription events;
  private final Subscription txTopic;
  private final Subscription blockTopic;

  private ChainSync(
      Host host,
      GossipService gossip,
      ReqResp reqResp,
      Chain chain,
      SyncConfig config,
      LongSupplier nanoClock) {
    this.host = host;
    this.gossip = gossip;
    this.reqResp = reqResp;
    this.protocols = SyncProtocols.of(chain.networkId(), chain.params());
    this.metrics = new SyncMetrics();
    String tag = host.peerId().toBase58().substring(0, 12);
    this.blockExecutor = boundedThread("chain-blocks-" + tag, config.validationQueue());
    this.txExecutor = boundedThread("chain-txs-" + tag, config.validationQueue());
    this.batchThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chain-tx-batcher-" + tag);
              t.setDaemon(true);
              return t;
            });
    RecentTransactions recent = new RecentTransactions(65_536, nanoClock);
    BlockFetcher fetcher =
        new BlockFetcher(host, reqResp, chain, protocols, config, metrics, blockExecutor);
    this.txRelay =
        new TransactionRelay(
            chain, gossip, protocols, config, metrics, recent, txExecutor, batchThread, nanoClock);
    this.blockRelay =
        new BlockRelay(
            chain,
            gossip,
            protocols,
            config,
            metrics,
            recent,
            fetcher,
            blockExecutor,
            txRelay::republish);
    fetcher.onFetchedBlock(blockRelay::cameFromNetwork);
    this.status =
        new StatusExchange(
            host,
            reqResp,
            chain,
            protocols,
            metrics,
            (peer, theirs) -> fetcher.catchUp(peer, theirs.headHash()));
    ChainServer server = new ChainServer(chain, protocols, blockRelay::relayedBlock);
    reqResp.serve(protocols.status(), status::serve);
    reqResp.serve(protocols.blockTxs(), server::blockTxs);
    reqResp.serve(protocols.blocksByHash(), server::blocksByHash);
    chain.subscribe(blockRelay::onChainEvent);
    gossip.setValidator(protocols.txTopic(), txRelay::validate);
    gossip.setValidator(protocols.blockTopic(), blockRelay::validate);
    // Messages reach us through the validators; the subscriptions only join the topics' meshes.
    this.txTopic = gossip.subscribe(protocols.txTopic(), m -> {});
    this.blockTopic = gossip.subscribe(protocols.blockTopic(), m -> {});
    this.events = host.subscribe(status::onEvent);
    // Status again now and then: a block whose announcement could not be rebuilt or fetched is
    // otherwise only learned with the next one; a heavier head in a peer's status triggers
    // catch-up.
    long period = config.statusInterval().toMillis();
    batchThread.scheduleWithFixedDelay(this::refreshStatus, period, period, TimeUnit.MILLISECONDS);
    for (var connection : host.connections()) {
      status.exchange(connection.remotePeerId());
    }
  }

  /**
   * Starts carrying {@code chain} over {@code host}: serves the chain protocols on {@code reqResp},
   * joins the topics on {@code gossip} and exchanges status with every peer that connects.
   */
  public static ChainSync start(
      Host host, GossipService gossip, ReqResp reqResp, Chain chain, SyncConfig config) {
    return new ChainSync(host, gossip, reqResp, chain, config, System::nanoTime);
  }

  /** The topics and protocols of {@code networkId}; for configuring gossipsub before start. */
  public static SyncProtocols protocols(
      String networkId, io.meshwork.chain.consensus.ConsensusParams params) {
    return SyncProtocols.of(networkId, params);
  }

  /** Validates a local transaction into the mempool and, if it is new, gossips it. */
  public Mempool.AddResult submit(Transaction tx) {
    return txRelay.submit(tx);
  }

  public SyncProtocols protocols() {
    return protocols;
  }

  public SyncMetrics.Snapshot metrics() {
    return metrics.snapshot();
  }

  /** The last status of each connected peer that carries this chain. */
  public Map<PeerId, StatusMessage> peerStatus() {
    return status.peers();
  }

  private void refreshStatus() {
    try {
      for (PeerId peer : status.peers().keySet()) {
        status.exchange(peer);
      }
    } catch (RuntimeException e) {
      LOG.warn("refreshing peer status failed", e); // never let the schedule die
    }
  }

  @Override
  public void close() {
    events.close();
    txTopic.close();
    blockTopic.close();
    batchThread.shutdownNow();
    blockExecutor.shutdownNow();
    txExecutor.shutdownNow();
    try {
      blockExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.debug("chain sync stopped");
  }

  private static ThreadPoolExecutor boundedThread(String name, int queue) {
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queue),
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.AbortPolicy());
  }
}
