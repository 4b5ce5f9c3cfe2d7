package io.meshwork.networking.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.crypto.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BanListTest {
  private final ManualClock clock = new ManualClock();
  private final PeerId peer = DialBackoffTest.newPeer();

  @Test
  void aBanHoldsUntilItEndsAndThenExpires() {
    BanList bans = new BanList(16, clock);
    BanList.Ban ban = bans.ban(peer, Duration.ofMinutes(5), "spam");

    assertThat(ban.until()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(bans.isBanned(peer)).isTrue();
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(bans.isBanned(peer)).isTrue();
    assertThat(bans.expire()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(bans.isBanned(peer)).isFalse();
    assertThat(bans.expire()).containsExactly(ban);
    assertThat(bans.size()).isZero();
  }

  @Test
  void aShorterBanNeverShortensALongerOne() {
    BanList bans = new BanList(16, clock);
    BanList.Ban longBan = bans.ban(peer, Duration.ofHours(1), "first");

    assertThat(bans.ban(peer, Duration.ofMinutes(1), "second")).isEqualTo(longBan);
    assertThat(bans.ban(peer, Duration.ofHours(2), "third").reason()).isEqualTo("third");
  }

  @Test
  void aFullListDropsTheBanThatEndsFirst() {
    BanList bans = new BanList(3, clock);
    PeerId soonest = DialBackoffTest.newPeer();
    bans.ban(soonest, Duration.ofMinutes(1), "short");
    bans.ban(DialBackoffTest.newPeer(), Duration.ofMinutes(10), "a");
    bans.ban(DialBackoffTest.newPeer(), Duration.ofMinutes(20), "b");

    bans.ban(peer, Duration.ofMinutes(5), "new");

    assertThat(bans.size()).isEqualTo(3);
    assertThat(bans.isBanned(soonest)).isFalse();
    assertThat(bans.isBanned(peer)).isTrue();
  }

  @Test
  void bansSurviveARestartThroughTheStore() {
    PeerDataStore store = PeerDataStore.inMemory();
    BanList bans = new BanList(16, clock);
    PeerId lifted = DialBackoffTest.newPeer();
    PeerId ended = DialBackoffTest.newPeer();
    bans.ban(peer, Duration.ofHours(1), "eclipse attempt");
    bans.ban(lifted, Duration.ofHours(1), "mistake");
    bans.ban(ended, Duration.ofMinutes(1), "short");
    bans.flush(store);
    bans.unban(lifted);
    bans.flush(store);
    clock.advance(Duration.ofMinutes(2));

    BanList reloaded = BanList.load(store, 16, clock);

    assertThat(reloaded.bans())
        .singleElement()
        .satisfies(
            ban -> {
              assertThat(ban.peer()).isEqualTo(peer);
              assertThat(ban.reason()).isEqualTo("eclipse attempt");
            });
    reloaded.flush(store);
    assertThat(storedBanKeys(store)).hasSize(1);
  }

  @Test
  void dropsAnUnreadableStoredBan() {
    PeerDataStore store = PeerDataStore.inMemory();
    store.write(
        new PeerDataStore.Batch()
            .put(
                PeerDataStore.key(
                    PeerDataStore.BAN_PREFIX, "junk".getBytes(StandardCharsets.US_ASCII)),
                new byte[] {1, 2, 3}));

    assertThat(BanList.load(store, 16, clock).size()).isZero();
    assertThat(storedBanKeys(store)).isEmpty();
  }

  private static List<byte[]> storedBanKeys(PeerDataStore store) {
    List<byte[]> keys = new ArrayList<>();
    store.forEachWithPrefix(PeerDataStore.BAN_PREFIX, (k, v) -> keys.add(k));
    return keys;
  }
}
