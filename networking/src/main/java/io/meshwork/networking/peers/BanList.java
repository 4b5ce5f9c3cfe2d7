package io.meshwork.networking.peers;

import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerIdFormatException;
import io.meshwork.networking.peers.pb.PeerManagerProto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Banned peers and when their bans end. Persisted one entry per peer under {@link
 * PeerDataStore#BAN_PREFIX}, so a ban survives a restart.
 *
 * <p>Bounded: when {@code capacity} peers are banned, a new ban replaces the one that ends first.
 * Thread-safe (one lock): the peer manager writes it on its thread and the host's {@link
 * io.meshwork.networking.core.ConnectionGater} reads it on Netty threads.
 */
public final class BanList {
  private static final Logger LOG = LoggerFactory.getLogger(BanList.class);

  /** A ban of {@code peer} until {@code until}. */
  public record Ban(PeerId peer, String reason, Instant until) {
    public Ban {
      Objects.requireNonNull(peer);
      Objects.requireNonNull(reason);
      Objects.requireNonNull(until);
    }
  }

  private final int capacity;
  private final Clock clock;
  private final Map<PeerId, Ban> bans = new HashMap<>();

  /** Peers whose stored entry is out of date: written or deleted by the next {@link #flush}. */
  private final Set<PeerId> dirty = new HashSet<>();

  public BanList(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  /**
   * Bans {@code peer} for {@code duration} from now; an existing ban that ends later is kept (a
   * shorter ban never shortens a longer one). Returns the ban in force.
   */
  public synchronized Ban ban(PeerId peer, Duration duration, String reason) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("ban duration must be positive: " + duration);
    }
    Ban ban = new Ban(peer, reason, clock.instant().plus(duration));
    Ban existing = bans.get(peer);
    if (existing != null && !existing.until().isBefore(ban.until())) {
      return existing;
    }
    if (existing == null && bans.size() >= capacity) {
      Ban first = bans.values().stream().min(Comparator.comparing(Ban::until)).orElseThrow();
      bans.remove(first.peer());
      dirty.add(first.peer());
      LOG.debug("ban list full ({}): dropping the ban of {} early", capacity, first.peer());
    }
    bans.put(peer, ban);
    dirty.add(peer);
    return ban;
  }

  /** Lifts the ban of {@code peer}; returns whether it was banned. */
  public synchronized boolean unban(PeerId peer) {
    boolean removed = bans.remove(peer) != null;
    if (removed) {
      dirty.add(peer);
    }
    return removed;
  }

  /** Whether {@code peer} is banned now (an expired ban no longer counts). */
  public synchronized boolean isBanned(PeerId peer) {
    return active(peer).isPresent();
  }

  /** The ban of {@code peer} in force now. */
  public synchronized Optional<Ban> active(PeerId peer) {
    Ban ban = bans.get(peer);
    return ban != null && clock.instant().isBefore(ban.until())
        ? Optional.of(ban)
        : Optional.empty();
  }

  /** Removes the bans that have ended and returns them. */
  public synchronized List<Ban> expire() {
    Instant now = clock.instant();
    List<Ban> ended = new ArrayList<>();
    bans.values()
        .removeIf(
            ban -> {
              if (now.isBefore(ban.until())) {
                return false;
              }
              ended.add(ban);
              dirty.add(ban.peer());
              return true;
            });
    return List.copyOf(ended);
  }

  /** The bans held, including ended ones not yet {@link #expire expired}. */
  public synchronized List<Ban> bans() {
    return List.copyOf(bans.values());
  }

  public synchronized int size() {
    return bans.size();
  }

  /** Writes the bans changed since the last flush to {@code store}, in one batch. */
  public synchronized void flush(PeerDataStore store) {
    if (dirty.isEmpty()) {
      return;
    }
    PeerDataStore.Batch batch = new PeerDataStore.Batch();
    for (PeerId peer : dirty) {
      byte[] key = PeerDataStore.key(PeerDataStore.BAN_PREFIX, peer.toBytes());
      Ban ban = bans.get(peer);
      if (ban == null) {
        batch.delete(key);
      } else {
        batch.put(
            key,
            PeerManagerProto.Ban.newBuilder()
                .setReason(ban.reason())
                .setUntilMillis(ban.until().toEpochMilli())
                .build()
                .toByteArray());
      }
    }
    store.write(batch);
    dirty.clear();
  }

  /**
   * The bans stored in {@code store} that have not ended (ended ones are deleted at the next
   * flush); unreadable entries are logged and deleted.
   */
  public static BanList load(PeerDataStore store, int capacity, Clock clock) {
    BanList list = new BanList(capacity, clock);
    Instant now = clock.instant();
    int prefix = PeerDataStore.BAN_PREFIX.length;
    List<Ban> stored = new ArrayList<>();
    PeerDataStore.Batch unreadable = new PeerDataStore.Batch();
    store.forEachWithPrefix(
        PeerDataStore.BAN_PREFIX,
        (key, value) -> {
          byte[] peerBytes = Arrays.copyOfRange(key, prefix, key.length);
          try {
            PeerManagerProto.Ban ban = PeerManagerProto.Ban.parseFrom(value);
            stored.add(
                new Ban(
                    PeerId.fromBytes(peerBytes),
                    ban.getReason(),
                    Instant.ofEpochMilli(ban.getUntilMillis())));
          } catch (InvalidProtocolBufferException | PeerIdFormatException e) {
            LOG.warn("dropping an unreadable stored ban: {}", e.getMessage());
            unreadable.delete(key);
          }
        });
    if (!unreadable.isEmpty()) {
      store.write(unreadable);
    }
    synchronized (list) {
      stored.stream()
          .sorted(Comparator.comparing(Ban::until).reversed())
          .forEach(
              ban -> {
                if (!now.isBefore(ban.until()) || list.bans.size() >= capacity) {
                  list.dirty.add(ban.peer());
                } else {
                  list.bans.put(ban.peer(), ban);
                }
              });
    }
    return list;
  }
}
