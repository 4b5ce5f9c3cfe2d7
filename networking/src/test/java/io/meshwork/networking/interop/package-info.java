/**
 * Test support for interop tests: {@link io.meshwork.networking.interop.JsPeer} runs the js-libp2p
 * reference peer ({@code interop/peer.mjs}, js-libp2p 3 on a pinned Node 22, installed by {@code
 * interop/install.sh} before the integration tests) as a child process and drives it over JSON
 * lines on its stdin and stdout.
 *
 * <p>The peer speaks TCP, Noise, Yamux, multistream-select, Identify ({@code /ipfs/id/1.0.0}), Ping
 * ({@code /ipfs/ping/1.0.0}) and Perf ({@code /perf/1.0.0}, libp2p/specs perf/perf.md), gossipsub,
 * and with {@link io.meshwork.networking.interop.JsPeerOptions#dht()} the Kademlia DHT ({@code
 * /ipfs/kad/1.0.0}, @libp2p/kad-dht as a LAN server). Interop tests are named {@code *IT}, tagged
 * {@code interop}, listen on 127.0.0.1 only, and never skip: a missing peer installation fails
 * them.
 */
package io.meshwork.networking.interop;
