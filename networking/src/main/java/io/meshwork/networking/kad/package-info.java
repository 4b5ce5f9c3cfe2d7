/**
 * Kademlia DHT ({@code /ipfs/kad/1.0.0}): routing table, iterative lookups, records and providers.
 *
 * <p>Specification: libp2p/specs {@code kad-dht/README.md}; wire facts shared with go-, rust- and
 * js-libp2p are collected in {@code docs/wire-notes.md} (section "Kademlia DHT").
 *
 * <p>Layout, sans-IO first (no class here touches a socket or reads a clock; times are passed in as
 * monotonic nanoseconds):
 *
 * <ul>
 *   <li>{@link io.meshwork.networking.kad.KadKey} and {@link io.meshwork.networking.kad.Distance}:
 *       the key space, {@code XOR(sha256(a), sha256(b))}.
 *   <li>{@link io.meshwork.networking.kad.RoutingTable} of 256 {@link
 *       io.meshwork.networking.kad.KBucket}s with replacement caches, liveness checks expressed as
 *       outputs, and {@link io.meshwork.networking.peers.AddressGroup} diversity limits.
 *   <li>{@link io.meshwork.networking.kad.LookupQuery}: one iterative FIND_NODE / GET_VALUE /
 *       GET_PROVIDERS lookup with α concurrency, per-request and per-query timeouts.
 *   <li>{@link io.meshwork.networking.kad.RecordStore} with {@link
 *       io.meshwork.networking.kad.RecordValidator}s per namespace, {@link
 *       io.meshwork.networking.kad.ProviderStore} and {@link
 *       io.meshwork.networking.kad.ProvidedKeys} (expiry and republishing).
 *   <li>{@link io.meshwork.networking.kad.KadCodec} (bounded wire codec) and {@link
 *       io.meshwork.networking.kad.KadServer} (answers inbound requests).
 * </ul>
 *
 * <p>{@link io.meshwork.networking.kad.KadDht} is the thin I/O shell: it runs all of the above on
 * one thread, sends one request per stream (as go and js do), serves {@code /ipfs/kad/1.0.0} in
 * server mode only, fills the table from identify (peers listing the protocol) and from peers that
 * answer, and penalises peers that fail, time out or keep referring us to unreachable peers.
 */
package io.meshwork.networking.kad;
