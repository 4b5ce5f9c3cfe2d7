package io.meshwork.networking.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoresTest {
  private static final long HOUR = Duration.ofHours(1).toNanos();
  private final Random random = new Random(4);
  private final KadConfig config = KadConfig.defaults();

  @Test
  void recordsExpireAfterTheirTtl() {
    RecordStore store = new RecordStore(LookupQueryTest.SequenceValidator.namespaced(), config);
    byte[] key = "/seq/k".getBytes(StandardCharsets.UTF_8);
    assertThat(store.put(key, bytes("1"), Instant.EPOCH, 0))
        .isEqualTo(RecordStore.PutOutcome.STORED);
    assertThat(store.get(key, 35 * HOUR)).isPresent();
    assertThat(store.get(key, 36 * HOUR)).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void recordStoreIsBoundedInCountAndValueSize() {
    KadConfig tiny =
        KadConfig.builder()
            .recordTtl(Duration.ofHours(1))
            .maxRecords(2)
            .maxRecordSize(4)
            .maxProviderKeys(2)
            .maxProvidersPerKey(2)
            .build();
    RecordStore store = new RecordStore(LookupQueryTest.SequenceValidator.namespaced(), tiny);
    store.put(bytes("/seq/a"), bytes("1"), Instant.EPOCH, 0);
    store.put(bytes("/seq/b"), bytes("1"), Instant.EPOCH, 0);
    assertThat(store.put(bytes("/seq/c"), bytes("1"), Instant.EPOCH, 0))
        .isEqualTo(RecordStore.PutOutcome.STORE_FULL);
    assertThat(store.put(bytes("/seq/c"), bytes("1"), Instant.EPOCH, HOUR))
        .as("expired records make room")
        .isEqualTo(RecordStore.PutOutcome.STORED);
    assertThatThrownBy(() -> store.put(bytes("/seq/d"), bytes("12345"), Instant.EPOCH, HOUR))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("exceeds");

    ProviderStore providers = new ProviderStore(tiny);
    KadPeer a = KadTestPeers.randomPeer(random);
    KadPeer b = KadTestPeers.randomPeer(random);
    KadPeer c = KadTestPeers.randomPeer(random);
    providers.add(bytes("k1"), a, 0);
    providers.add(bytes("k1"), b, 0);
    providers.add(bytes("k1"), c, 0); // drops the stalest, a
    assertThat(providers.providers(bytes("k1"), 0)).containsExactly(b, c);
    providers.add(bytes("k2"), a, 0);
    assertThat(providers.add(bytes("k3"), a, 0)).isFalse();
  }

  @Test
  void providersExpireAfterFortyEightHoursUnlessReAdded() {
    ProviderStore store = new ProviderStore(config);
    KadPeer a = KadTestPeers.randomPeer(random);
    KadPeer b = KadTestPeers.randomPeer(random);
    store.add(bytes("cid"), a, 0);
    store.add(bytes("cid"), b, 0);
    store.add(bytes("cid"), a, 22 * HOUR); // a republished after 22 h
    assertThat(store.providers(bytes("cid"), 47 * HOUR)).containsExactly(b, a);
    assertThat(store.providers(bytes("cid"), 48 * HOUR)).containsExactly(a);
    assertThat(store.prune(70 * HOUR)).isEqualTo(2);
    assertThat(store.keyCount()).isZero();
  }

  @Test
  void ownProvidedKeysComeDueForRepublishingAfterTwentyTwoHours() {
    ProvidedKeys keys = new ProvidedKeys(config);
    keys.published(bytes("x"), 0);
    keys.published(bytes("y"), 10 * HOUR);
    assertThat(keys.dueForRepublish(21 * HOUR)).isEmpty();
    assertThat(keys.dueForRepublish(22 * HOUR)).containsExactly(bytes("x"));
    keys.published(bytes("x"), 22 * HOUR);
    keys.stopProviding(bytes("y"));
    assertThat(keys.dueForRepublish(40 * HOUR)).isEmpty();
    assertThat(keys.size()).isEqualTo(1);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
