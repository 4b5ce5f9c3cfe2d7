/**
 * libp2p identities: key pairs, their protobuf encodings, peer ids, signed envelopes and peer
 * records.
 *
 * <ul>
 *   <li>Keys and peer ids: libp2p specs {@code peer-ids/peer-ids.md} (Ed25519 and secp256k1; RSA
 *       and ECDSA keys are recognised but rejected as unsupported).
 *   <li>{@link io.meshwork.networking.crypto.SignedEnvelope}: RFC 0002 (signed envelopes).
 *   <li>{@link io.meshwork.networking.crypto.PeerRecord}: RFC 0003 (routing records).
 * </ul>
 *
 * <p>Every type here is immutable and thread-safe. Decoding untrusted bytes fails with a typed
 * {@link java.lang.IllegalArgumentException} subclass ({@link
 * io.meshwork.networking.crypto.KeyFormatException}, {@link
 * io.meshwork.networking.crypto.PeerIdFormatException}, {@link
 * io.meshwork.networking.crypto.EnvelopeException}); verifying a bad signature returns false.
 */
package io.meshwork.networking.crypto;
