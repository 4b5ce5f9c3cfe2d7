package io.meshwork.chain;

import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.consensus.DifficultyRetarget;
import io.meshwork.chain.consensus.MedianTimePast;
import io.meshwork.chain.genesis.Genesis;
import io.meshwork.chain.mempool.Mempool;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.MalformedEncodingException;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.production.BlockProducer;
import io.meshwork.chain.state.Account;
import io.meshwork.chain.state.AccountState;
import io.meshwork.chain.state.StateTransition;
import io.meshwork.chain.store.ChainStore;
import io.meshwork.chain.store.KeyValueStore;
import io.meshwork.chain.store.StorageException;
import io.meshwork.chain.tree.BlockTree;
import io.meshwork.chain.tree.CanonicalChain;
import io.meshwork.chain.tree.ForkChoice;
import io.meshwork.chain.tree.InvalidBlocks;
import io.meshwork.chain.tree.OrphanPool;
import io.meshwork.chain.tree.Reorganizer;
import io.meshwork.chain.validation.BlockValidator;
import io.meshwork.chain.validation.HeaderChainValidator;
import io.meshwork.chain.validation.ValidationFailure;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain: import blocks, follow the heaviest valid branch, keep the head state, the mempool and
 * the store consistent, and tell subscribers when the head moves.
 *
 * <p>Threading: every public method is synchronized; events are delivered on the calling thread
 * while the lock is held, so listeners must not block (hand work to another executor). After a
 * {@link StorageException} the in-memory view may be ahead of the store: close the store and {@link
 * #open} again, which restores a consistent chain from what was committed.
 */
public final class Chain {
  private static final Logger LOG = LoggerFactory.getLogger(Chain.class);

  private final ConsensusParams params;
  private final String networkId;
  private final int maxReorgDepth;
  private final Clock clock;
  private final Block genesis;
  private final ChainStore store;
  private final BlockValidator validator;
  private final HeaderChainValidator headerChainValidator;
  private final StateTransition transition;
  private final DifficultyRetarget retarget;
  private final BlockTree tree;
  private final OrphanPool orphans;
  private final InvalidBlocks invalid;
  private final Reorganizer reorganizer;
  private final AccountState state;
  private final Mempool mempool;
  private final BlockProducer producer;
  private final CanonicalChain canonical;
  private final LinkedHashMap<Hash, Block> blockCache;
  private final List<Consumer<ChainEvent>> listeners = new CopyOnWriteArrayList<>();
  private BlockTree.Node head;
  private StorageException storageFailure;
  private long headChangesSincePrune;

  /** Side branches below the reorganisation horizon are pruned every this many head changes. */
  static final int PRUNE_INTERVAL = 64;

  private Chain(ChainConfig config, KeyValueStore kv, Clock clock) {
    this.params = config.genesis().params();
    this.networkId = config.genesis().networkId();
    this.maxReorgDepth = config.maxReorgDepth();
    this.clock = clock;
    this.genesis = Genesis.block(config.genesis());
    this.store = new ChainStore(kv, params.maxTransactionsPerBlock());
    this.validator = new BlockValidator(params, genesis.hash(), clock);
    this.headerChainValidator = new HeaderChainValidator(validator);
    this.transition = new StateTransition(params.minFee());
    this.retarget = new DifficultyRetarget(params);
    this.tree = new BlockTree(genesis.header());
    this.orphans = new OrphanPool(config.maxOrphans(), config.maxOrphanBytes());
    this.invalid = new InvalidBlocks(config.invalidCacheSize());
    this.reorganizer = new Reorganizer(tree, store, transition, config.maxReorgDepth());
    this.mempool = new Mempool(config.mempool(), validator);
    this.producer = new BlockProducer(transition);
    int cacheSize = Math.max(1, config.blockCacheSize());
    this.blockCache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash, Block> eldest) {
            return size() > cacheSize;
          }
        };

    Optional<Hash> storedGenesis = store.genesisHash();
    if (storedGenesis.isEmpty()) {
      store.initialize(genesis, Genesis.state(config.genesis()).accounts());
    } else if (!storedGenesis.get().equals(genesis.hash())) {
      throw new IllegalStateException(
          "store holds network with genesis "
              + storedGenesis.get()
              + ", config has "
              + genesis.hash());
    }
    loadTree();
    this.state = AccountState.of(store.accounts());
    Hash headHash = store.head().orElseThrow(() -> new StorageException("no head in store"));
    this.head =
        tree.node(headHash)
            .orElseThrow(() -> new StorageException("head " + headHash + " not stored"));
    if (!state.root().equals(head.header().stateRoot())) {
      throw new StorageException("stored accounts do not match the state root of head " + headHash);
    }
    List<Hash> path = new ArrayList<>();
    for (BlockTree.Node n = head; ; n = tree.parent(n)) {
      path.add(n.hash());
      if (n.height() == 0) {
        break;
      }
    }
    java.util.Collections.reverse(path);
    this.canonical = new CanonicalChain(path);
  }

  /**
   * Opens the chain in {@code store}, initialising it with the genesis block if empty, and adopts
   * the heaviest stored branch if a crash left it unadopted.
   */
  public static Chain open(ChainConfig config, KeyValueStore store, Clock clock) {
    Chain chain = new Chain(config, store, clock);
    synchronized (chain) {
      chain.reconsiderBestTip(chain.head.hash());
    }
    return chain;
  }

  private void loadTree() {
    List<BlockHeader> headers = new ArrayList<>();
    store.forEachHeader(headers::add);
    headers.sort(Comparator.comparingLong(BlockHeader::height));
    for (BlockHeader header : headers) {
      if (header.height() > 0 && tree.contains(header.parent())) {
        tree.add(header);
      }
    }
  }

  /** Decodes and imports; undecodable input is Invalid (MALFORMED_ENCODING) under its SHA-256. */
  public ImportResult importBlock(byte[] encoded) {
    if (encoded.length > params.maxBlockBytes()) {
      return new ImportResult.Invalid(
          Hash.sha256(encoded),
          ValidationFailure.of(
              Reason.BLOCK_TOO_LARGE, encoded.length + " bytes exceeds " + params.maxBlockBytes()));
    }
    Block block;
    try {
      block = Block.decode(encoded, params.maxTransactionsPerBlock());
    } catch (MalformedEncodingException | IllegalArgumentException e) {
      return new ImportResult.Invalid(
          Hash.sha256(encoded), ValidationFailure.of(Reason.MALFORMED_ENCODING, e.getMessage()));
    }
    return importBlock(block);
  }

  /**
   * Imports a block. When it completes a branch held as orphans, those are imported too, and the
   * result is the last {@link ImportResult.NewHead} among them if any.
   */
  public synchronized ImportResult importBlock(Block block) {
    if (storageFailure != null) {
      throw new StorageException("chain must be reopened after a storage failure", storageFailure);
    }
    try {
      return importWithOrphans(block);
    } catch (StorageException e) {
      // Memory may now be ahead of the store; only reopening restores a view the store backs.
      storageFailure = e;
      throw e;
    }
  }

  private ImportResult importWithOrphans(Block block) {
    ImportResult result = importOne(block);
    if (!(result instanceof ImportResult.NewHead) && !(result instanceof ImportResult.SideBranch)) {
      return result;
    }
    Deque<Hash> connected = new ArrayDeque<>(List.of(block.hash()));
    while (!connected.isEmpty()) {
      for (Block child : orphans.takeChildrenOf(connected.poll())) {
        ImportResult childResult = importOne(child);
        if (childResult instanceof ImportResult.NewHead
            || childResult instanceof ImportResult.SideBranch) {
          connected.add(child.hash());
        }
        if (childResult instanceof ImportResult.NewHead) {
          result = childResult;
        }
      }
    }
    return result;
  }

  private ImportResult importOne(Block block) {
    Hash hash = block.hash();
    if (tree.contains(hash) || orphans.contains(hash)) {
      return new ImportResult.AlreadyKnown(hash);
    }
    Optional<ValidationFailure> known = invalid.reason(hash);
    if (known.isPresent()) {
      return new ImportResult.Invalid(hash, known.get());
    }
    if (invalid.reason(block.parent()).isPresent()) {
      return rejected(
          block,
          ValidationFailure.of(
              Reason.INVALID_ANCESTOR, "parent " + block.parent() + " is invalid"));
    }
    Optional<ValidationFailure> alone = validator.checkHeaderAlone(block.header());
    if (alone.isPresent()) {
      return rejected(block, alone.get());
    }
    Optional<BlockTree.Node> parent = tree.node(block.parent());
    if (parent.isEmpty()) {
      orphans.add(block);
      return new ImportResult.Orphan(hash, block.parent());
    }
    // A block forking off below the reorganisation horizon can never be adopted; refusing it
    // before storing keeps cheap old-difficulty side branches out of the tree.
    long forkDepth = head.height() - parent.get().height();
    if (forkDepth > maxReorgDepth) {
      return new ImportResult.ReorgTooDeep(hash, (int) forkDepth, maxReorgDepth);
    }
    Optional<ValidationFailure> failure =
        validator.checkHeaderInContext(block.header(), parent.get().header(), tree);
    if (failure.isEmpty()) {
      failure = validator.checkBody(block);
    }
    if (failure.isPresent()) {
      return rejected(block, failure.get());
    }
    store.storeBlock(block);
    blockCache.put(hash, block);
    BlockTree.Node node = tree.add(block.header());
    if (!ForkChoice.prefers(node, head)) {
      return new ImportResult.SideBranch(hash, node.cumulativeWork());
    }
    return adopt(node, hash);
  }

  private ImportResult rejected(Block block, ValidationFailure failure) {
    // A body that does not match its header's transactions root says nothing about the header
    // (anyone can pair a valid header with a wrong body), so only the body is refused.
    if (!failure.isTemporary() && failure.reason() != Reason.BAD_TRANSACTIONS_ROOT) {
      invalid.add(block.hash(), failure);
    }
    return new ImportResult.Invalid(block.hash(), failure);
  }

  /** Moves the head to {@code target}; on an invalid block, falls back to the best valid tip. */
  private ImportResult adopt(BlockTree.Node target, Hash imported) {
    Reorganizer.Outcome outcome = reorganizer.reorganize(state, head, target, this::loadBlock);
    if (outcome instanceof Reorganizer.Adopted adopted) {
      return headChanged(target, adopted, imported);
    }
    if (outcome instanceof Reorganizer.TooDeep tooDeep) {
      LOG.warn(
          "not adopting heavier branch at {}: it would undo {} blocks, limit {}",
          target.hash(),
          tooDeep.depth(),
          tooDeep.maxDepth());
      return new ImportResult.ReorgTooDeep(imported, tooDeep.depth(), tooDeep.maxDepth());
    }
    Reorganizer.Failed failed = (Reorganizer.Failed) outcome;
    LOG.info("block {} failed to apply: {}", failed.invalidBlock(), failed.failure());
    for (Hash removed : tree.removeWithDescendants(failed.invalidBlock())) {
      invalid.add(
          removed,
          removed.equals(failed.invalidBlock())
              ? failed.failure()
              : ValidationFailure.of(
                  Reason.INVALID_ANCESTOR, "descends from invalid " + failed.invalidBlock()));
      blockCache.remove(removed);
      store.deleteBlock(removed);
    }
    reconsiderBestTip(imported);
    return new ImportResult.Invalid(imported, invalid.reason(imported).orElse(failed.failure()));
  }

  private void reconsiderBestTip(Hash imported) {
    BlockTree.Node best = ForkChoice.best(tree.nodes());
    if (ForkChoice.prefers(best, head)) {
      adopt(best, imported);
    }
  }

  private ImportResult headChanged(
      BlockTree.Node target, Reorganizer.Adopted adopted, Hash imported) {
    Block previous = loadBlock(head.hash());
    head = target;
    canonical.replaceAbove(
        adopted.commonAncestor().height(), adopted.added().stream().map(Block::hash).toList());
    List<Transaction> returned = adopted.orphanedTransactions();
    if (!adopted.removed().isEmpty()) {
      LOG.info(
          "reorganised: {} blocks removed, {} added, new head {} at {}",
          adopted.removed().size(),
          adopted.added().size(),
          target.hash(),
          target.height());
    }
    mempool.onHeadChanged(state, returned);
    if (++headChangesSincePrune >= PRUNE_INTERVAL) {
      headChangesSincePrune = 0;
      pruneUnreachableForks();
    }
    Block newHead = adopted.added().get(adopted.added().size() - 1);
    ChainEvent event =
        new ChainEvent.HeadChanged(
            previous, newHead, adopted.removed(), adopted.added(), List.copyOf(returned));
    for (Consumer<ChainEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        // The head has moved and is committed; one faulty subscriber must not undo that for others.
        LOG.warn(
            "chain event listener {} failed on {}", listener, event.getClass().getSimpleName(), e);
      }
    }
    return new ImportResult.NewHead(imported, newHead, adopted.removed(), adopted.added());
  }

  private void pruneUnreachableForks() {
    List<Hash> pruned =
        tree.pruneForksBelow(
            head.height() - maxReorgDepth, node -> canonical.contains(node.hash(), node.height()));
    if (!pruned.isEmpty()) {
      pruned.forEach(blockCache::remove);
      store.deleteBlocks(pruned);
      LOG.debug("pruned {} side-branch blocks below the reorganisation horizon", pruned.size());
    }
  }

  private Block loadBlock(Hash hash) {
    Block cached = blockCache.get(hash);
    if (cached != null) {
      return cached;
    }
    Block block =
        store.block(hash).orElseThrow(() -> new StorageException("block " + hash + " not stored"));
    blockCache.put(hash, block);
    return block;
  }

  /** Registers a listener for {@link ChainEvent}s (called on the importing thread). */
  public void subscribe(Consumer<ChainEvent> listener) {
    listeners.add(listener);
  }

  public synchronized Block head() {
    return loadBlock(head.hash());
  }

  public synchronized BlockHeader headHeader() {
    return head.header();
  }

  public synchronized BigInteger headCumulativeWork() {
    return head.cumulativeWork();
  }

  /** A block in the tree (canonical or side branch). */
  public synchronized Optional<Block> block(Hash hash) {
    return tree.contains(hash) ? Optional.of(loadBlock(hash)) : Optional.empty();
  }

  public synchronized Optional<BlockHeader> header(Hash hash) {
    return tree.header(hash);
  }

  /** The canonical block at {@code height}. */
  public synchronized Optional<Block> blockAt(long height) {
    return canonical.at(height).map(this::loadBlock);
  }

  /** Whether {@code hash} is on the canonical chain. */
  public synchronized boolean isCanonical(Hash hash) {
    return tree.node(hash).map(n -> canonical.contains(hash, n.height())).orElse(false);
  }

  // --- support for header-first sync (the sync module drives these) ---

  /** Canonical hashes from the head back to genesis, dense then exponentially sparse. */
  public synchronized List<Hash> blockLocator() {
    return canonical.locator();
  }

  /** The first hash of a peer's locator that is on our canonical chain (at worst genesis). */
  public synchronized Optional<BlockHeader> findForkPoint(List<Hash> locator) {
    for (Hash hash : locator) {
      if (isCanonical(hash)) {
        return tree.header(hash);
      }
    }
    return Optional.empty();
  }

  /** Up to {@code max} canonical headers after {@code start}, if {@code start} is canonical. */
  public synchronized List<BlockHeader> canonicalHeadersAfter(Hash start, int max) {
    Optional<BlockTree.Node> from = tree.node(start).filter(n -> isCanonical(n.hash()));
    if (from.isEmpty()) {
      return List.of();
    }
    List<BlockHeader> headers = new ArrayList<>();
    for (long h = from.get().height() + 1; headers.size() < max; h++) {
      Optional<Hash> hash = canonical.at(h);
      if (hash.isEmpty()) {
        break;
      }
      headers.add(tree.header(hash.get()).orElseThrow());
    }
    return headers;
  }

  /**
   * Checks a run of headers from a peer before their bodies are fetched: the first must extend a
   * known block, each the one before; each must pass the proof of work, future-timestamp,
   * difficulty, height and median-time rules. Needs no bodies or state.
   *
   * @return the first failure, or empty when the whole run is valid
   */
  public synchronized Optional<ValidationFailure> checkHeaders(List<BlockHeader> headers) {
    return headerChainValidator.check(headers, tree, hash -> invalid.reason(hash).isPresent());
  }

  /**
   * The checks a block passes without state, for relaying it before it is imported: the header
   * alone (proof of work, future limit), in context when its parent is known (difficulty, height,
   * median time past), and the body (limits, transactions root, duplicates, signatures, the last
   * cached per transaction). A block whose parent is unknown fails with {@code UNKNOWN_PARENT}
   * after the checks that need no parent.
   *
   * @return the first failure, or empty when the block may be relayed
   */
  public synchronized Optional<ValidationFailure> checkStateless(Block block) {
    Optional<ValidationFailure> failure = invalid.reason(block.hash());
    if (failure.isEmpty()) {
      failure = validator.checkHeaderAlone(block.header());
    }
    if (failure.isEmpty()) {
      failure = validator.checkBody(block);
    }
    if (failure.isPresent()) {
      return failure;
    }
    Optional<BlockTree.Node> parent = tree.node(block.parent());
    if (parent.isEmpty()) {
      return Optional.of(
          ValidationFailure.of(Reason.UNKNOWN_PARENT, "parent " + block.parent() + " unknown"));
    }
    return validator.checkHeaderInContext(block.header(), parent.get().header(), tree);
  }

  /** The cumulative work of a known block. */
  public synchronized Optional<BigInteger> cumulativeWork(Hash hash) {
    return tree.node(hash).map(BlockTree.Node::cumulativeWork);
  }

  /** The account in the head state. */
  public synchronized Account account(Address address) {
    return state.get(address);
  }

  /** A snapshot of every account in the head state. */
  public synchronized Map<Address, Account> accounts() {
    return state.accounts();
  }

  public Hash genesisHash() {
    return genesis.hash();
  }

  public ConsensusParams params() {
    return params;
  }

  /** The network's id, from its genesis config. */
  public String networkId() {
    return networkId;
  }

  /** Validates a transaction against the head state and adds it to the mempool. */
  public synchronized Mempool.AddResult submit(Transaction tx) {
    return mempool.add(tx, state);
  }

  /** Ids of pending transactions, for compact blocks and bloom filters. */
  public synchronized Set<Hash> mempoolIds() {
    return mempool.ids();
  }

  public synchronized Optional<Transaction> mempoolTransaction(Hash id) {
    return mempool.get(id);
  }

  /** All pending transactions (a copy), for rebuilding compact blocks. */
  public synchronized List<Transaction> mempoolTransactions() {
    return mempool.transactions();
  }

  public synchronized int mempoolSize() {
    return mempool.size();
  }

  /** An unmined block on the head with the best transactions the mempool offers. */
  public synchronized Block blockTemplate() {
    BlockHeader parent = head.header();
    long timestamp = Math.max(clock.millis(), MedianTimePast.of(parent, tree) + 1);
    List<Transaction> candidates =
        mempool.selectForBlock(
            params.maxTransactionsPerBlock(),
            params.maxBlockBytes() - BlockHeader.MAX_ENCODED_SIZE - 8,
            state);
    return producer.assemble(parent, retarget.nextBits(parent, tree), timestamp, candidates, state);
  }

  /** Assembles a block and tries up to {@code maxAttempts} nonces; does not import it. */
  public Optional<Block> produceBlock(long maxAttempts) {
    return BlockProducer.mine(blockTemplate(), 0, maxAttempts);
  }

  /** Sizes of the bounded structures, for metrics. */
  public synchronized Stats stats() {
    return new Stats(tree.size(), orphans.size(), invalid.size(), mempool.size(), mempool.bytes());
  }

  /** Sizes of the chain's bounded structures. */
  public record Stats(
      int treeNodes,
      int orphans,
      int invalidRemembered,
      int mempoolTransactions,
      long mempoolBytes) {}
}
