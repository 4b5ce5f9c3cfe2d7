/**
 * Propagation and synchronisation of the chain over the libp2p stack: gossip topics for
 * transactions and blocks, compact block relay, the chain's request/response protocols, and (later)
 * header-first sync.
 *
 * <p>Depends on {@code networking} and {@code chain} only, and exposes no Netty or protobuf type
 * (DESIGN.md, "Modules"). Wire formats are specified in {@code docs/protocols/}.
 */
package io.meshwork.sync;
