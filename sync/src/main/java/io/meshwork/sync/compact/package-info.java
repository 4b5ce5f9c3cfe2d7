/**
 * Compact block relay: short transaction ids keyed per block and sender salt ({@link
 * io.meshwork.sync.compact.ShortIds}, SipHash-2-4), the {@link
 * io.meshwork.sync.compact.CompactBlock} encoding, building one from a block and rebuilding a block
 * from one and the mempool ({@link io.meshwork.sync.compact.BlockReconstructor}).
 *
 * <p>Spec: {@code docs/protocols/chain-gossip.md}, "Messages", "Short transaction ids" and "Compact
 * block reconstruction" (the idea of BIP152, with our hash and encoding). Sans-IO and
 * single-threaded: the propagation service drives a reconstructor from one thread, sending the
 * block-txs request itself; values are immutable.
 */
package io.meshwork.sync.compact;
