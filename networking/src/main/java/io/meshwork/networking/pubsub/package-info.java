/**
 * Gossipsub (specs pubsub/README.md, pubsub/gossipsub/gossipsub-v1.0.md, v1.1.md, v1.2.md): the RPC
 * codec, message signing (StrictSign / StrictNoSign), message ids, validation, and the sans-IO
 * {@link io.meshwork.networking.pubsub.GossipRouter} with its parts (mesh, fanout, message cache,
 * seen cache, backoff, IWANT promises, outbox, heartbeat). Everything here except the service
 * wiring is single-threaded and driven by an injected clock.
 */
package io.meshwork.networking.pubsub;
