package io.meshwork.networking.peers;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link AddressBook}'s mutable record of one peer (addrman's {@code AddrInfo}). Group and
 * source group are fixed at creation so the entry's slot never moves under it. Not thread-safe.
 */
final class AddressInfo {
  /** An entry dialled this recently is never terrible (addrman: 1 minute). */
  static final Duration RECENT_ATTEMPT = Duration.ofMinutes(1);

  /** An entry claimed to be seen further in the future than this is terrible (addrman: 10 min). */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(10);

  /** Failed dials after which a never-successful entry is terrible (addrman's ADDRMAN_RETRIES). */
  static final int RETRIES_WITHOUT_SUCCESS = 3;

  /** A failing entry is terrible only if it last worked longer ago (addrman's ADDRMAN_MIN_FAIL). */
  static final Duration MIN_FAIL = Duration.ofDays(7);

  final PeerId peerId;
  final List<Multiaddr> addresses;
  final AddressGroup group;
  final Optional<Multiaddr> sourceAddress;
  final AddressGroup sourceGroup;
  final DiscoverySource source;
  boolean tried;
  int bucket;
  int position;
  Instant lastSeen;
  Optional<Instant> lastSuccess = Optional.empty();
  Optional<Instant> lastAttempt = Optional.empty();
  int failures;

  /** A dial started and neither {@code good} nor {@code failed} has been reported for it. */
  boolean attemptPending;

  AddressInfo(
      PeerId peerId,
      List<Multiaddr> addresses,
      AddressGroup group,
      Optional<Multiaddr> sourceAddress,
      AddressGroup sourceGroup,
      DiscoverySource source,
      Instant lastSeen) {
    this.peerId = peerId;
    this.addresses = new ArrayList<>(addresses);
    this.group = group;
    this.sourceAddress = sourceAddress;
    this.sourceGroup = sourceGroup;
    this.source = source;
    this.lastSeen = lastSeen;
  }

  /**
   * Appends the addresses not yet known, up to {@code max}. Known addresses keep their place, so
   * the first (which decides the group) never changes; returns whether any was added.
   */
  boolean merge(List<Multiaddr> fresh, int max) {
    boolean changed = false;
    for (Multiaddr address : fresh) {
      if (addresses.size() >= max) {
        break;
      }
      if (!addresses.contains(address)) {
        addresses.add(address);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Addrman's {@code IsTerrible}: an entry another may take the slot of. Never one dialled in the
   * last minute; otherwise one seen "in the future", not seen within the horizon, never successful
   * after {@link #RETRIES_WITHOUT_SUCCESS} failures, or with {@code maxFailures} failures and no
   * success for {@link #MIN_FAIL}.
   */
  boolean isTerrible(Instant now, AddressBookConfig config) {
    if (lastAttempt.isPresent() && lastAttempt.get().plus(RECENT_ATTEMPT).isAfter(now)) {
      return false;
    }
    if (lastSeen.isAfter(now.plus(FUTURE_TOLERANCE))) {
      return true;
    }
    if (lastSeen.plus(config.horizon()).isBefore(now)) {
      return true;
    }
    if (lastSuccess.isEmpty()
        && failures >= Math.min(RETRIES_WITHOUT_SUCCESS, config.maxFailures())) {
      return true;
    }
    return failures >= config.maxFailures()
        && (lastSuccess.isEmpty() || lastSuccess.get().plus(MIN_FAIL).isBefore(now));
  }

  AddressBookEntry snapshot() {
    return new AddressBookEntry(
        peerId, addresses, group, tried, lastSuccess, lastAttempt, failures, source);
  }
}
