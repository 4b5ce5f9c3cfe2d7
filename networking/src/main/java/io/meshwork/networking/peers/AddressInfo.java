package io.meshwork.networking.peers;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link AddressBook}'s mutable record of one peer (addrman's {@code AddrInfo}). Group and
 * source group are fixed at creation so the entry's slot never moves under it. Not thread-safe.
 */
final class AddressInfo {
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

  AddressBookEntry snapshot() {
    return new AddressBookEntry(
        peerId, addresses, group, tried, lastSuccess, lastAttempt, failures, source);
  }
}
