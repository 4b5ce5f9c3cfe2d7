/**
 * The host: {@link io.meshwork.networking.host.HostBuilder} builds a {@link
 * io.meshwork.networking.core.Host} on the TCP transport, the connection upgrader and Yamux, with a
 * bounded peer store, connection limits and the event bus. Follows go-libp2p's basic host: one
 * connection kept per peer, streams negotiated with multistream-select.
 */
package io.meshwork.networking.host;
