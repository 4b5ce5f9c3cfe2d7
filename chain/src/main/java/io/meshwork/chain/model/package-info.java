/**
 * The chain's data model and its one canonical binary encoding.
 *
 * <p>Values: {@link io.meshwork.chain.model.Hash} (SHA-256), {@link
 * io.meshwork.chain.model.Address} (first 20 bytes of SHA-256 of an Ed25519 public key), {@link
 * io.meshwork.chain.model.Transaction}, {@link io.meshwork.chain.model.BlockHeader} and {@link
 * io.meshwork.chain.model.Block}.
 *
 * <p>Encoding (all integers unsigned; "varint" is LEB128 and must be minimal):
 *
 * <pre>
 * Transaction = senderKey[32] to[20] varint(amount) varint(fee) varint(nonce) signature[64]
 * Header      = parent[32] varint(height) varint(timestampMillis) txRoot[32] stateRoot[32]
 *               bits[4, big-endian] nonce[8, big-endian]
 * Block       = Header varint(txCount) Transaction*
 * </pre>
 *
 * <p>Decoding is strict: trailing bytes, non-minimal varints, values above 2^63-1 and lists longer
 * than the caller's limit are rejected with a {@link
 * io.meshwork.chain.model.MalformedEncodingException}, so every value has exactly one encoding and
 * hashes over the encoding are identities. The transaction id (used by compact block relay and
 * bloom filters) is SHA-256 of the full encoding including the signature; Ed25519 signatures as
 * verified here (RFC 8032, S &lt; L) are not malleable, so the id is stable. The header's nonce is
 * the last field, fixed-width, so a miner can hash the prefix once.
 */
package io.meshwork.chain.model;
