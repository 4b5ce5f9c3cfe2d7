/**
 * The HTTP JSON API of a node (DESIGN.md, "External contract"): node identity and peers, the DHT
 * routing table and peer lookup, gossip publish and event streams (server-sent events), and
 * Prometheus metrics. Served by the JDK's HTTP server on small bounded pools.
 */
package io.meshwork.node.api;
