/**
 * Self-describing formats from the multiformats project, as libp2p uses them on the wire.
 *
 * <ul>
 *   <li>{@link io.meshwork.networking.multiformats.Varint}: unsigned-varint (multiformats
 *       unsigned-varint spec: LEB128, at most 9 bytes, minimal encoding).
 *   <li>{@link io.meshwork.networking.multiformats.Multihash}, {@link
 *       io.meshwork.networking.multiformats.Multibase}, {@link
 *       io.meshwork.networking.multiformats.Base58}, {@link
 *       io.meshwork.networking.multiformats.Cid}: multihash, multibase and CID specs.
 *   <li>{@link io.meshwork.networking.multiformats.Multiaddr}: the multiaddr spec, binary and text.
 * </ul>
 *
 * <p>Everything here is immutable and thread-safe. Decoders are strict: bad input from the network
 * fails with a typed {@link java.lang.IllegalArgumentException} subclass carrying the reason.
 */
package io.meshwork.networking.multiformats;
