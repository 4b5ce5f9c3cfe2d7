/**
 * Meshwork's blockchain core: the {@link io.meshwork.chain.Chain} facade (import a block, read the
 * head and blocks, submit transactions, build block templates, subscribe to {@link
 * io.meshwork.chain.ChainEvent}s) over the model, consensus, state, validation, store, tree,
 * mempool and production packages. Depends on nothing else in Meshwork and on no network types;
 * sans-IO apart from the injected store, with time from an injected {@link java.time.Clock}.
 */
package io.meshwork.chain;
