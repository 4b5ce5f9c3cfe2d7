/**
 * Wire encodings of the chain's gossip messages and request/response payloads: the snappy block
 * codec, {@link io.meshwork.sync.wire.TransactionBatch}, {@link
 * io.meshwork.sync.wire.BlockAnnouncement}, {@link io.meshwork.sync.wire.StatusMessage} and the
 * block-txs and blocks-by-hash messages.
 *
 * <p>Specs: {@code docs/protocols/chain-gossip.md} ("Payload and message id", "Messages") and
 * {@code docs/protocols/chain-reqresp.md} ("Messages", "Limits"). Sans-IO: byte arrays in and out,
 * no networking types. Every decoder is strict (counts capped before allocation, trailing bytes
 * rejected) and fails with a {@link io.meshwork.sync.wire.WireFormatException}. All types are
 * immutable values, safe on any thread.
 */
package io.meshwork.sync.wire;
