/**
 * Peer exchange, {@code /meshwork/pex/1.0.0} (docs/protocols/pex.md): asking a connected peer for
 * the signed peer records (libp2p RFC 0002/0003) of peers it is connected to, and answering such
 * requests under a per-peer rate limit.
 *
 * <p>{@link io.meshwork.networking.peers.pex.PexCodec} (framing, limits, verification) and {@link
 * io.meshwork.networking.peers.pex.PexRateLimiter} (token buckets, injected clock) are sans-IO;
 * {@link io.meshwork.networking.peers.pex.PexService} runs them on a host's streams. What a reply
 * teaches us is never dialed here: it is published as {@code AddressesDiscovered(PEX)} for the peer
 * manager's address book, the one funnel that resists eclipse attacks (pex.md, "Security").
 */
package io.meshwork.networking.peers.pex;
