/**
 * The peer manager: which peers a node knows of and which it connects to, so that it stays well
 * connected and hard to eclipse. Bootstrap, the {@link io.meshwork.networking.peers.AddressBook},
 * dialing with backoff, outbound diversity, anchors, feelers and bans.
 *
 * <p>Design source: Bitcoin Core's address manager ({@code src/addrman.h}, {@code addrman_impl.h})
 * and the eclipse analysis behind it (Heilman, Kendler, Zohar and Goldberg, "Eclipse Attacks on
 * Bitcoin's Peer-to-Peer Network", USENIX Security 2015): new and tried tables bucketed by keyed
 * hashes of address groups and source groups, so one network cannot fill the book. Adapted to
 * libp2p: entries are keyed by {@link io.meshwork.networking.crypto.PeerId} and hold several
 * multiaddrs; addresses arrive from bootstrap, identify, the DHT, gossipsub PX and PEX ({@link
 * io.meshwork.networking.core.DiscoverySource}).
 *
 * <p>The address book is sans-IO (clock and randomness injected) and owned by the peer manager's
 * thread. It persists through {@link io.meshwork.networking.peers.PeerDataStore}, whose key
 * prefixes the package documents there.
 */
package io.meshwork.networking.peers;
