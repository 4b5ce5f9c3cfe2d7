package io.meshwork.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.chain.consensus.CompactTarget;
import io.meshwork.chain.consensus.ProofOfWork;
import io.meshwork.chain.mempool.Mempool;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.store.InMemoryKeyValueStore;
import io.meshwork.chain.store.StorageException;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChainTest {
  private final BlockFactory factory = new BlockFactory(6);
  private final Random random = new Random(42);
  private final List<ChainEvent> events = new ArrayList<>();

  private Chain open(ChainConfig config) {
    Chain chain = Chain.open(config, new InMemoryKeyValueStore(), factory.clock());
    chain.subscribe(events::add);
    return chain;
  }

  private Chain open() {
    return open(factory.config());
  }

  private static Reason reasonOf(ImportResult result) {
    assertThat(result).isInstanceOf(ImportResult.Invalid.class);
    return ((ImportResult.Invalid) result).failure().reason();
  }

  private void assertStateMatchesFactoryAtHead(Chain chain) {
    assertThat(chain.accounts()).isEqualTo(factory.stateAt(chain.head().hash()).accounts());
  }

  @Test
  void extendsTheHeadWithValidBlocks() {
    Chain chain = open();
    List<Block> blocks = factory.branch(factory.genesis, 5, 4, random, factory.spacing());
    for (Block block : blocks) {
      assertThat(chain.importBlock(block)).isInstanceOf(ImportResult.NewHead.class);
    }
    assertThat(chain.head()).isEqualTo(blocks.get(4));
    assertThat(chain.blockAt(3)).contains(blocks.get(2));
    assertThat(chain.block(blocks.get(1).hash())).contains(blocks.get(1));
    assertThat(events).hasSize(5);
    assertStateMatchesFactoryAtHead(chain);
  }

  @Test
  void aFailingListenerDoesNotStopOthersOrTheImport() {
    Chain chain = open();
    List<ChainEvent> later = new ArrayList<>();
    chain.subscribe(
        e -> {
          throw new IllegalStateException("faulty subscriber");
        });
    chain.subscribe(later::add);
    Block block = factory.child(factory.genesis, 1, random, factory.spacing());
    assertThat(chain.importBlock(block)).isInstanceOf(ImportResult.NewHead.class);
    assertThat(later).hasSize(1);
  }

  @Test
  void refusesFurtherImportsAfterAStorageFailureUntilReopened() {
    InMemoryKeyValueStore disk = new InMemoryKeyValueStore();
    FailingKeyValueStore failing = new FailingKeyValueStore(disk, 2, false);
    Chain chain = Chain.open(factory.config(), failing, factory.clock());
    List<Block> blocks = factory.branch(factory.genesis, 2, 1, random, factory.spacing());
    assertThatThrownBy(() -> chain.importBlock(blocks.get(0))).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> chain.importBlock(blocks.get(1)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("reopened");
    Chain reopened = Chain.open(factory.config(), disk, factory.clock());
    blocks.forEach(reopened::importBlock);
    assertThat(reopened.head()).isEqualTo(blocks.get(1));
  }

  @Test
  void answersAlreadyKnownForARepeatedBlock() {
    Chain chain = open();
    Block block = factory.child(factory.genesis, 2, random, factory.spacing());
    chain.importBlock(block);
    assertThat(chain.importBlock(block)).isInstanceOf(ImportResult.AlreadyKnown.class);
    assertThat(chain.importBlock(block.encode())).isInstanceOf(ImportResult.AlreadyKnown.class);
  }

  @Test
  void equalWorkKeepsTheFirstSeenHead() {
    Chain chain = open();
    Block first = factory.child(factory.genesis, 1, random, factory.spacing());
    Block second = factory.child(factory.genesis, 2, random, factory.spacing());
    chain.importBlock(first);
    assertThat(chain.importBlock(second)).isInstanceOf(ImportResult.SideBranch.class);
    assertThat(chain.head()).isEqualTo(first);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 100})
  void reorganisesToAHeavierBranchOfDepth(int depth) {
    Chain chain = open();
    Block base = factory.branch(factory.genesis, 3, 2, random, factory.spacing()).get(2);
    List<Block> main = factory.branch(base, depth, 3, random, factory.spacing());
    List<Block> fork = factory.branch(base, depth + 1, 3, random, factory.spacing());
    for (Hash hash : pathTo(base)) {
      assertThat(chain.importBlock(factory.blocks.get(hash)))
          .isInstanceOf(ImportResult.NewHead.class);
    }
    main.forEach(chain::importBlock);
    assertThat(chain.head()).isEqualTo(main.get(depth - 1));
    for (int i = 0; i < depth; i++) {
      assertThat(chain.importBlock(fork.get(i))).isInstanceOf(ImportResult.SideBranch.class);
    }
    events.clear();
    ImportResult result = chain.importBlock(fork.get(depth));

    assertThat(result).isInstanceOf(ImportResult.NewHead.class);
    ImportResult.NewHead newHead = (ImportResult.NewHead) result;
    assertThat(newHead.removed()).hasSize(depth).first().isEqualTo(main.get(depth - 1));
    assertThat(newHead.added()).containsExactlyElementsOf(fork);
    assertThat(chain.head()).isEqualTo(fork.get(depth));
    assertThat(chain.blockAt(base.height() + 1)).contains(fork.get(0));
    assertStateMatchesFactoryAtHead(chain);
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            ChainEvent.HeadChanged.class,
            e -> {
              assertThat(e.isReorganization()).isTrue();
              assertThat(e.removed()).hasSize(depth);
              assertThat(e.added()).hasSize(depth + 1);
            });
  }

  private List<Hash> pathTo(Block tip) {
    List<Hash> path = new ArrayList<>();
    for (Block b = tip; b.height() > 0; b = factory.blocks.get(b.parent())) {
      path.add(0, b.hash());
    }
    return path;
  }

  @Test
  void refusesAReorganisationDeeperThanTheLimitWithAClearResult() {
    Chain chain = open(factory.config().withMaxReorgDepth(5));
    List<Block> main = factory.branch(factory.genesis, 6, 1, random, factory.spacing());
    List<Block> fork = factory.branch(factory.genesis, 7, 1, random, factory.spacing());
    // the fork starts within the horizon; the main chain then grows past it
    main.subList(0, 3).forEach(chain::importBlock);
    fork.subList(0, 3).forEach(chain::importBlock);
    main.subList(3, 6).forEach(chain::importBlock);
    for (int i = 3; i < 6; i++) {
      assertThat(chain.importBlock(fork.get(i))).isInstanceOf(ImportResult.SideBranch.class);
    }
    ImportResult result = chain.importBlock(fork.get(6));
    assertThat(result)
        .isInstanceOfSatisfying(
            ImportResult.ReorgTooDeep.class,
            r -> {
              assertThat(r.depth()).isEqualTo(6);
              assertThat(r.maxDepth()).isEqualTo(5);
            });
    assertThat(chain.head()).isEqualTo(main.get(5));
    assertStateMatchesFactoryAtHead(chain);
  }

  @Test
  void refusesBlocksThatForkBelowTheReorganisationHorizonWithoutStoringThem() {
    Chain chain = open(factory.config().withMaxReorgDepth(5));
    factory.branch(factory.genesis, 8, 0, random, factory.spacing()).forEach(chain::importBlock);
    Block stale = factory.child(factory.genesis, 1, random, factory.spacing() + 7);
    assertThat(chain.importBlock(stale))
        .isInstanceOfSatisfying(
            ImportResult.ReorgTooDeep.class, r -> assertThat(r.depth()).isEqualTo(8));
    assertThat(chain.block(stale.hash())).isEmpty();
    assertThat(chain.stats().treeNodes()).isEqualTo(9);
  }

  @Test
  void prunesSideBranchesThatFellBelowTheReorganisationHorizon() {
    Chain chain = open(factory.config().withMaxReorgDepth(5));
    List<Block> main =
        factory.branch(factory.genesis, Chain.PRUNE_INTERVAL + 10, 0, random, factory.spacing());
    List<Block> fork = factory.branch(main.get(2), 2, 1, random, factory.spacing());
    List<Block> recentFork =
        factory.branch(main.get(Chain.PRUNE_INTERVAL + 5), 1, 1, random, factory.spacing());
    main.subList(0, 4).forEach(chain::importBlock);
    fork.forEach(chain::importBlock);
    assertThat(chain.block(fork.get(1).hash())).isPresent();
    main.subList(4, main.size() - 2).forEach(chain::importBlock);
    recentFork.forEach(chain::importBlock);
    main.subList(main.size() - 2, main.size()).forEach(chain::importBlock);

    assertThat(chain.block(fork.get(0).hash())).isEmpty();
    assertThat(chain.block(fork.get(1).hash())).isEmpty();
    assertThat(chain.block(recentFork.get(0).hash())).isPresent();
    assertThat(chain.stats().treeNodes()).isEqualTo(main.size() + 2);
  }

  @Test
  void returnsTransactionsOfRemovedBlocksToTheMempoolUnlessTheNewBranchHasThem() {
    Chain chain = open();
    SigningKey a = factory.keys.get(0);
    SigningKey b = factory.keys.get(1);
    Transaction onlyInMain = factory.transfer(a, b.address(), 10, 2, 0);
    Transaction inBoth = factory.transfer(b, a.address(), 20, 3, 0);
    Block main = factory.child(factory.genesis, List.of(onlyInMain, inBoth));
    Block fork1 = factory.child(factory.genesis, List.of(inBoth));
    Block fork2 = factory.child(fork1, List.of());
    chain.importBlock(main);
    chain.importBlock(fork1);
    events.clear();

    assertThat(chain.importBlock(fork2)).isInstanceOf(ImportResult.NewHead.class);

    assertThat(chain.mempoolIds()).containsExactly(onlyInMain.id());
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            ChainEvent.HeadChanged.class,
            e -> assertThat(e.returnedToMempool()).containsExactly(onlyInMain));
    Block next = chain.produceBlock(1_000_000).orElseThrow();
    assertThat(next.transactions()).containsExactly(onlyInMain);
    assertThat(chain.importBlock(next)).isInstanceOf(ImportResult.NewHead.class);
    assertThat(chain.mempoolSize()).isZero();
  }

  @Test
  void connectsOrphansWhenTheirParentArrives() {
    Chain chain = open();
    List<Block> blocks = factory.branch(factory.genesis, 4, 2, random, factory.spacing());
    assertThat(chain.importBlock(blocks.get(3))).isInstanceOf(ImportResult.Orphan.class);
    assertThat(chain.importBlock(blocks.get(2))).isInstanceOf(ImportResult.Orphan.class);
    assertThat(chain.importBlock(blocks.get(1))).isInstanceOf(ImportResult.Orphan.class);
    assertThat(chain.stats().orphans()).isEqualTo(3);

    ImportResult result = chain.importBlock(blocks.get(0));

    assertThat(result)
        .isInstanceOfSatisfying(
            ImportResult.NewHead.class, r -> assertThat(r.head()).isEqualTo(blocks.get(3)));
    assertThat(chain.head()).isEqualTo(blocks.get(3));
    assertThat(chain.stats().orphans()).isZero();
  }

  @Test
  void boundsTheOrphanPool() {
    ChainConfig config = factory.config();
    Chain chain =
        open(new ChainConfig(config.genesis(), 100, 2, 1 << 20, 100, 16, config.mempool()));
    List<Block> blocks = factory.branch(factory.genesis, 5, 0, random, factory.spacing());
    for (int i = 4; i >= 1; i--) {
      chain.importBlock(blocks.get(i));
    }
    assertThat(chain.stats().orphans()).isEqualTo(2);
  }

  @Test
  void producesAndImportsABlockFromTheMempool() {
    Chain chain = open();
    SigningKey a = factory.keys.get(0);
    for (int nonce = 0; nonce < 3; nonce++) {
      assertThat(
              chain.submit(factory.transfer(a, factory.keys.get(1).address(), 5, 1 + nonce, nonce)))
          .isInstanceOf(Mempool.Added.class);
    }
    Block block = chain.produceBlock(1_000_000).orElseThrow();
    assertThat(block.transactions()).extracting(Transaction::nonce).containsExactly(0L, 1L, 2L);
    assertThat(chain.importBlock(block)).isInstanceOf(ImportResult.NewHead.class);
    assertThat(chain.mempoolSize()).isZero();
    assertThat(chain.account(a.address()).nonce()).isEqualTo(3);
  }

  // --- bad input, each rejected with its reason ---

  @Test
  void rejectsMalformedEncodings() {
    Chain chain = open();
    Block block = factory.child(factory.genesis, 1, random, factory.spacing());
    byte[] trailing = Arrays.copyOf(block.encode(), block.encodedSize() + 1);
    assertThat(reasonOf(chain.importBlock(trailing))).isEqualTo(Reason.MALFORMED_ENCODING);
    assertThat(reasonOf(chain.importBlock(new byte[] {1, 2, 3})))
        .isEqualTo(Reason.MALFORMED_ENCODING);
    assertThat(chain.importBlock(block.encode())).isInstanceOf(ImportResult.NewHead.class);
  }

  @Test
  void rejectsABadSignature() {
    Chain chain = open();
    Transaction good =
        factory.transfer(factory.keys.get(0), factory.keys.get(1).address(), 5, 1, 0);
    byte[] signature = good.signature();
    signature[10] ^= 1;
    Transaction forged =
        Transaction.of(
            good.senderKey(), good.to(), good.amount(), good.fee(), good.nonce(), signature);
    Block block = factory.child(factory.genesis, List.of(good));
    Block bad =
        factory.rawChild(
            factory.genesis,
            List.of(forged),
            block.header().stateRoot(),
            block.header().timestampMillis(),
            block.header().difficultyBits());
    assertThat(reasonOf(chain.importBlock(bad))).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsADoubleSpendAndItsDescendants() {
    Chain chain = open();
    SigningKey a = factory.keys.get(0);
    Transaction spend =
        factory.transfer(a, factory.keys.get(1).address(), BlockFactory.BALANCE - 10, 1, 0);
    Transaction again =
        factory.transfer(a, factory.keys.get(2).address(), BlockFactory.BALANCE - 10, 1, 0);
    Block valid = factory.child(factory.genesis, List.of(spend));
    Block doubleSpend =
        factory.rawChild(
            factory.genesis,
            List.of(spend, again),
            valid.header().stateRoot(),
            valid.header().timestampMillis(),
            valid.header().difficultyBits());
    assertThat(reasonOf(chain.importBlock(doubleSpend))).isEqualTo(Reason.BAD_NONCE);
    Block child =
        factory.rawChild(
            doubleSpend,
            List.of(),
            valid.header().stateRoot(),
            valid.header().timestampMillis() + 1000,
            valid.header().difficultyBits());
    assertThat(reasonOf(chain.importBlock(child))).isEqualTo(Reason.INVALID_ANCESTOR);
    assertThat(chain.head()).isEqualTo(factory.genesis);
    assertThat(chain.importBlock(valid)).isInstanceOf(ImportResult.NewHead.class);
  }

  @Test
  void rejectsOverspendingAcrossTransactions() {
    Chain chain = open();
    SigningKey a = factory.keys.get(0);
    Transaction first =
        factory.transfer(a, factory.keys.get(1).address(), BlockFactory.BALANCE / 2 + 1, 1, 0);
    Transaction second =
        factory.transfer(a, factory.keys.get(1).address(), BlockFactory.BALANCE / 2 + 1, 1, 1);
    Block template = factory.child(factory.genesis, List.of(first));
    Block bad =
        factory.rawChild(
            factory.genesis,
            List.of(first, second),
            template.header().stateRoot(),
            template.header().timestampMillis(),
            template.header().difficultyBits());
    assertThat(reasonOf(chain.importBlock(bad))).isEqualTo(Reason.INSUFFICIENT_BALANCE);
  }

  @Test
  void rejectsAWrongStateRoot() {
    Chain chain = open();
    Block valid = factory.child(factory.genesis, 2, random, factory.spacing());
    Block bad =
        factory.rawChild(
            factory.genesis,
            valid.transactions(),
            Hash.ZERO,
            valid.header().timestampMillis(),
            valid.header().difficultyBits());
    assertThat(reasonOf(chain.importBlock(bad))).isEqualTo(Reason.BAD_STATE_ROOT);
    assertThat(chain.head()).isEqualTo(factory.genesis);
  }

  @Test
  void rejectsTheWrongDifficulty() {
    Chain chain = open();
    Block valid = factory.child(factory.genesis, 0, random, factory.spacing());
    int harder = CompactTarget.encode(factory.genesisConfig.params().powLimit().shiftRight(1));
    Block bad =
        factory.rawChild(
            factory.genesis,
            List.of(),
            valid.header().stateRoot(),
            valid.header().timestampMillis(),
            harder);
    assertThat(reasonOf(chain.importBlock(bad))).isEqualTo(Reason.WRONG_DIFFICULTY);
  }

  @Test
  void rejectsAHeaderThatMissesItsTarget() {
    Chain chain = open();
    Block valid = factory.child(factory.genesis, 0, random, factory.spacing());
    ProofOfWork pow = new ProofOfWork(factory.genesisConfig.params());
    BlockHeader unworked = valid.header();
    for (long nonce = 0; pow.check(unworked).isEmpty(); nonce++) {
      unworked = valid.header().withNonce(nonce);
    }
    assertThat(reasonOf(chain.importBlock(new Block(unworked, List.of()))))
        .isEqualTo(Reason.BAD_PROOF_OF_WORK);
  }

  @Test
  void rejectsAFutureTimestampButAcceptsTheBlockOnceTimeCatchesUp() {
    long now = factory.genesisConfig.timestampMillis() + 60_000;
    MutableClock clock = new MutableClock(now);
    Chain chain = Chain.open(factory.config(), new InMemoryKeyValueStore(), clock);
    Block future = factory.child(factory.genesis, List.of(), 60_000 + 3_600_000);
    assertThat(reasonOf(chain.importBlock(future))).isEqualTo(Reason.TIMESTAMP_TOO_FAR_IN_FUTURE);
    clock.set(now + 3_600_000);
    assertThat(chain.importBlock(future)).isInstanceOf(ImportResult.NewHead.class);
  }

  @Test
  void rejectsATimestampNotAfterTheMedianOfThePastEleven() {
    Chain chain = open();
    Block valid = factory.child(factory.genesis, 0, random, factory.spacing());
    Block stale =
        factory.rawChild(
            factory.genesis,
            List.of(),
            valid.header().stateRoot(),
            factory.genesis.header().timestampMillis(),
            valid.header().difficultyBits());
    assertThat(reasonOf(chain.importBlock(stale))).isEqualTo(Reason.TIMESTAMP_NOT_AFTER_MEDIAN);
  }

  @Test
  void aBodyNotMatchingItsHeaderDoesNotPoisonTheHeader() {
    Chain chain = open();
    Block valid = factory.child(factory.genesis, 2, random, factory.spacing());
    Block swapped = new Block(valid.header(), List.of(valid.transactions().get(0)));
    assertThat(reasonOf(chain.importBlock(swapped))).isEqualTo(Reason.BAD_TRANSACTIONS_ROOT);
    assertThat(chain.importBlock(valid)).isInstanceOf(ImportResult.NewHead.class);
  }

  @Test
  void keepsItsHeadWhenAHeavierBranchEndsInAnInvalidBlock() {
    Chain chain = open();
    List<Block> main = factory.branch(factory.genesis, 2, 1, random, factory.spacing());
    List<Block> fork = factory.branch(factory.genesis, 2, 1, random, factory.spacing());
    Block bad =
        factory.rawChild(
            fork.get(1),
            List.of(),
            Hash.ZERO,
            fork.get(1).header().timestampMillis() + 1000,
            factory.nextBits(fork.get(1)));
    main.forEach(chain::importBlock);
    fork.forEach(chain::importBlock);

    assertThat(reasonOf(chain.importBlock(bad))).isEqualTo(Reason.BAD_STATE_ROOT);

    assertThat(chain.head()).isEqualTo(main.get(1));
    assertStateMatchesFactoryAtHead(chain);
    Block good = factory.child(fork.get(1), 1, random, factory.spacing());
    assertThat(chain.importBlock(good)).isInstanceOf(ImportResult.NewHead.class);
    assertStateMatchesFactoryAtHead(chain);
  }

  static final class MutableClock extends Clock {
    private long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    void set(long value) {
      millis = value;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }
}
