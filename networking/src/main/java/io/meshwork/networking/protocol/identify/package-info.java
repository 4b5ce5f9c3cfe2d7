/**
 * Identify ({@code /ipfs/id/1.0.0}) and identify push ({@code /ipfs/id/push/1.0.0}), specs {@code
 * identify/README.md}: the responder writes one uvarint-delimited {@code Identify} message with its
 * key, listen addresses (also as a signed peer record), protocols and the address it sees us at,
 * then closes the stream.
 */
package io.meshwork.networking.protocol.identify;
