/**
 * Yamux stream multiplexer ({@code /yamux/1.0.0}) on Netty.
 *
 * <p>Implements the Hashicorp Yamux specification ({@code hashicorp/yamux spec.md}) as adopted by
 * libp2p ({@code libp2p/specs yamux/README.md}): 12-byte frames, per-stream flow control with a 256
 * KiB initial window, SYN/ACK/FIN/RST stream lifecycle, Ping and GoAway.
 *
 * <p>Pieces:
 *
 * <ul>
 *   <li>{@link io.meshwork.networking.mux.yamux.YamuxFrame}, {@link
 *       io.meshwork.networking.mux.yamux.YamuxFrameDecoder}, {@link
 *       io.meshwork.networking.mux.yamux.YamuxFrameEncoder}: the wire format ("Framing").
 *   <li>{@link io.meshwork.networking.mux.yamux.YamuxSendWindow} and {@link
 *       io.meshwork.networking.mux.yamux.YamuxReceiveWindow}: sans-IO flow control ("Flow
 *       Control"), with receive-window auto-tuning towards {@code maxWindow}.
 *   <li>{@link io.meshwork.networking.mux.yamux.YamuxHandler}: the session on the connection's
 *       pipeline (stream table, ids, limits, ping, GoAway).
 *   <li>{@link io.meshwork.networking.mux.yamux.YamuxStreamChannel}: each stream is a Netty child
 *       channel whose writability mirrors the peer's send window, so backpressure reaches the
 *       producer, and whose receive window is re-credited only after its pipeline consumed data.
 * </ul>
 *
 * <p>Threading: everything runs on the connection channel's event loop; stream channels are
 * registered on that same loop.
 */
package io.meshwork.networking.mux.yamux;
