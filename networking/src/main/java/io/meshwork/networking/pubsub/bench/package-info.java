/**
 * A Gossipsub benchmark: many real hosts (TCP, Noise, Yamux) in one JVM on 127.0.0.1 publishing on
 * one topic, measuring delivery, latency, duplicates and bytes per delivered byte with and without
 * IDONTWANT (gossipsub v1.2, {@code pubsub/gossipsub/gossipsub-v1.2.md}). Not used by the node.
 */
package io.meshwork.networking.pubsub.bench;
