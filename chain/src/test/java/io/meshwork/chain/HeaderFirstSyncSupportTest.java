package io.meshwork.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.consensus.CompactTarget;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.store.InMemoryKeyValueStore;
import io.meshwork.chain.validation.ValidationFailure;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderFirstSyncSupportTest {
  private final BlockFactory factory = new BlockFactory(3);
  private final Random random = new Random(5);
  private final Chain chain =
      Chain.open(factory.config(), new InMemoryKeyValueStore(), factory.clock());
  private final List<Block> main =
      factory.branch(factory.genesis, 40, 0, random, factory.spacing());

  HeaderFirstSyncSupportTest() {
    main.forEach(chain::importBlock);
  }

  private static List<BlockHeader> headers(List<Block> blocks) {
    return blocks.stream().map(Block::header).toList();
  }

  @Test
  void locatorIsDenseNearTheHeadSparseBehindAndEndsAtGenesis() {
    List<Hash> locator = chain.blockLocator();
    assertThat(locator.get(0)).isEqualTo(main.get(39).hash());
    List<Hash> lastTen = new ArrayList<>();
    for (int i = 39; i >= 30; i--) {
      lastTen.add(main.get(i).hash());
    }
    assertThat(locator.subList(0, 10)).containsExactlyElementsOf(lastTen);
    assertThat(locator.get(locator.size() - 1)).isEqualTo(factory.genesis.hash());
    assertThat(locator.size()).isLessThan(20);
  }

  @Test
  void findsTheForkPointOfAPeerOnAnotherBranch() {
    List<Block> peerBranch = factory.branch(main.get(24), 20, 0, random, factory.spacing() + 1);
    List<Hash> peerLocator = new ArrayList<>();
    for (int i = peerBranch.size() - 1; i >= 0; i--) {
      peerLocator.add(peerBranch.get(i).hash());
    }
    for (int i = 24; i >= 0; i -= 3) {
      peerLocator.add(main.get(i).hash());
    }
    assertThat(chain.findForkPoint(peerLocator)).contains(main.get(24).header());
    assertThat(chain.canonicalHeadersAfter(main.get(24).hash(), 5))
        .containsExactlyElementsOf(headers(main.subList(25, 30)));
    assertThat(chain.canonicalHeadersAfter(peerBranch.get(0).hash(), 5)).isEmpty();
  }

  @Test
  void acceptsAValidRunOfHeadersWithoutBodies() {
    List<Block> ahead = factory.branch(main.get(39), 30, 3, random, factory.spacing() / 2);
    assertThat(chain.checkHeaders(headers(ahead))).isEmpty();
  }

  @Test
  void findsTheFirstBadHeaderInARun() {
    List<Block> ahead = factory.branch(main.get(39), 5, 0, random, factory.spacing());
    Block last = ahead.get(4);
    int wrongBits = CompactTarget.encode(factory.genesisConfig.params().powLimit().shiftRight(3));
    Block wrong =
        factory.rawChild(
            last,
            List.of(),
            last.header().stateRoot(),
            last.header().timestampMillis() + 1000,
            wrongBits);
    List<BlockHeader> run = new ArrayList<>(headers(ahead));
    run.add(wrong.header());
    assertThat(chain.checkHeaders(run))
        .map(ValidationFailure::reason)
        .contains(Reason.WRONG_DIFFICULTY);
    assertThat(chain.checkHeaders(headers(ahead.subList(1, 5))))
        .map(ValidationFailure::reason)
        .contains(Reason.UNKNOWN_PARENT);
  }
}
