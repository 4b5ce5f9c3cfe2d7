/**
 * Ping ({@code /ipfs/ping/1.0.0}, specs {@code ping/ping.md}): the dialer sends 32 random bytes,
 * the listener echoes them; one stream may carry many pings.
 */
package io.meshwork.networking.protocol.ping;
