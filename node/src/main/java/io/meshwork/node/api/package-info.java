/**
 * The HTTP JSON API of a node (DESIGN.md, "External contract"): {@code GET /v1/node/identity} and
 * {@code GET /v1/node/peers} so far. Served by the JDK's HTTP server on a small bounded pool.
 */
package io.meshwork.node.api;
