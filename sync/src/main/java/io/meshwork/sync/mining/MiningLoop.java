package io.meshwork.sync.mining;

import io.meshwork.chain.Chain;
import io.meshwork.chain.ImportResult;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.production.BlockProducer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mines on the chain's head in bounded slices and imports each block it finds.
 *
 * <p>Each slice takes a fresh {@link Chain#blockTemplate()} (so a head that moved, by a block from
 * elsewhere, is picked up at the next slice), tries {@link MiningConfig#attemptsPerSlice()} nonces
 * and imports a solved block with {@link Chain#importBlock(Block)}. A block that did not become the
 * head (the head moved while it was being mined) is counted as stale and dropped: the chain keeps
 * it as a side branch, nothing else happens. When a template is the same as the last one (the clock
 * did not move), the nonce search continues where it stopped instead of retrying.
 *
 * <p>Threading: {@link #start()} runs slices on one daemon thread of its own ({@code miner});
 * {@link #mineSlice()} may also be called directly (tests do), but not concurrently with that
 * thread. {@link #close()} stops the thread and waits for the running slice. Counters are
 * thread-safe.
 */
public final class MiningLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MiningLoop.class);

  /** What one slice did. */
  public enum Outcome {
    /** No nonce in this slice's budget met the target. */
    NOT_FOUND,
    /** A block was found and became the head. */
    MINED,
    /** A block was found but the head had moved on; it was dropped. */
    STALE,
    /** A block was found but the chain refused it (a bug or a store failure; logged). */
    REJECTED
  }

  private final Chain chain;
  private final MiningConfig config;
  private final AtomicLong mined = new AtomicLong();
  private final AtomicLong stale = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private ScheduledExecutorService thread;
  private byte[] lastTemplate = new byte[0];
  private long nextNonce;

  public MiningLoop(Chain chain, MiningConfig config) {
    this.chain = Objects.requireNonNull(chain);
    this.config = Objects.requireNonNull(config);
  }

  /** Starts mining on a daemon thread, one slice every {@link MiningConfig#slice()}. */
  public synchronized MiningLoop start() {
    if (thread != null) {
      throw new IllegalStateException("mining loop already started");
    }
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "miner");
              t.setDaemon(true);
              return t;
            });
    long period = config.slice().toMillis();
    thread.scheduleWithFixedDelay(this::runSlice, 0, period, TimeUnit.MILLISECONDS);
    return this;
  }

  private void runSlice() {
    try {
      mineSlice();
    } catch (RuntimeException e) {
      // A failing slice (a store failure, say) must not end the schedule silently: log, go on.
      LOG.warn("mining slice failed: {}", e.toString(), e);
    }
  }

  /** One slice on a fresh template of the head. */
  public Outcome mineSlice() {
    return mine(chain.blockTemplate());
  }

  /**
   * One slice on {@code template}: tries the budget of nonces and imports a solved block. Public so
   * a test can hand in a template whose parent is no longer the head.
   */
  public Outcome mine(Block template) {
    byte[] withoutNonce = template.header().encodeWithoutNonce();
    if (!Arrays.equals(withoutNonce, lastTemplate)) {
      lastTemplate = withoutNonce;
      nextNonce = 0;
    }
    long attempts = config.attemptsPerSlice();
    Optional<Block> solved = BlockProducer.mine(template, nextNonce, attempts);
    nextNonce += attempts;
    if (solved.isEmpty()) {
      return Outcome.NOT_FOUND;
    }
    Block block = solved.get();
    ImportResult result = chain.importBlock(block);
    if (result instanceof ImportResult.NewHead) {
      mined.incrementAndGet();
      LOG.debug("mined block {} at height {}", block.hash(), block.height());
      return Outcome.MINED;
    }
    if (result instanceof ImportResult.Invalid invalid) {
      rejected.incrementAndGet();
      LOG.warn("the chain refused our block {}: {}", block.hash(), invalid.failure());
      return Outcome.REJECTED;
    }
    // SideBranch, AlreadyKnown, ReorgTooDeep, Orphan: its parent is no longer the head.
    stale.incrementAndGet();
    LOG.debug("mined block {} went stale: {}", block.hash(), result);
    return Outcome.STALE;
  }

  /** Blocks this loop found that became the head. */
  public long blocksMined() {
    return mined.get();
  }

  /** Blocks this loop found after the head had moved on (dropped). */
  public long staleBlocks() {
    return stale.get();
  }

  /** Blocks this loop found that the chain refused. */
  public long rejectedBlocks() {
    return rejected.get();
  }

  public MiningConfig config() {
    return config;
  }

  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (this) {
      running = thread;
    }
    if (running == null) {
      return;
    }
    running.shutdownNow();
    try {
      if (!running.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("miner thread did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
