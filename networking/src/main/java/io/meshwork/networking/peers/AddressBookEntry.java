package io.meshwork.networking.peers;

import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one {@link AddressBook} entry: a peer and where it may be dialled. Immutable.
 *
 * @param peerId the peer
 * @param addresses up to {@link AddressBookConfig#maxAddressesPerPeer()} multiaddrs without {@code
 *     /p2p}, oldest first; the first decides {@code group}
 * @param group the group of the first address, under the book's {@link AddressGrouping}
 * @param tried whether the entry is in the tried table (we connected to it at least once)
 * @param lastSuccess when an outbound connection last worked
 * @param lastAttempt when a dial last started
 * @param failures failed dials since the last success
 * @param source how we first learned of the peer
 */
public record AddressBookEntry(
    PeerId peerId,
    List<Multiaddr> addresses,
    AddressGroup group,
    boolean tried,
    Optional<Instant> lastSuccess,
    Optional<Instant> lastAttempt,
    int failures,
    DiscoverySource source) {
  public AddressBookEntry {
    Objects.requireNonNull(peerId);
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(group);
    Objects.requireNonNull(lastSuccess);
    Objects.requireNonNull(lastAttempt);
    Objects.requireNonNull(source);
  }
}
