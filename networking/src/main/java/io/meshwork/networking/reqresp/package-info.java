/**
 * A protocol-neutral request/response framework (docs/protocols/reqresp.md): one request and one
 * response per libp2p stream, each a Snappy-compressed, length-prefixed frame, with response codes,
 * per-protocol size caps, timeouts, token-bucket rate limits and bounded concurrency.
 *
 * <p>{@link io.meshwork.networking.reqresp.FrameDecoder}, {@link
 * io.meshwork.networking.reqresp.FrameEncoder} and {@link
 * io.meshwork.networking.reqresp.TokenBucket} are sans-IO (the clock is injected); {@link
 * io.meshwork.networking.reqresp.ReqResp} runs them on a host's streams, with handlers on a bounded
 * executor, never on an event loop. Protocols above {@code networking} (status, block-txs,
 * blocks-by-hash, domains) see only byte arrays, never Netty types.
 */
package io.meshwork.networking.reqresp;
