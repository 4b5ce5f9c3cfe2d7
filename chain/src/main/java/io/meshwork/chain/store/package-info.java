/**
 * Persistence: a byte-level {@link io.meshwork.chain.store.KeyValueStore} (RocksDB and in-memory
 * implementations) and the typed {@link io.meshwork.chain.store.ChainStore} on top of it.
 *
 * <p>Crash consistency: every change of the canonical chain (new height-index entries, removed
 * ones, undo data, account changes and the head pointer) is one {@link
 * io.meshwork.chain.store.WriteBatch}, which the store applies atomically. Blocks themselves are
 * written (in their own batch) before they can become canonical, so at every instant the stored
 * head, height index, undo data and accounts describe one consistent chain. A block stored but not
 * yet adopted is reconsidered when the chain is reopened.
 */
package io.meshwork.chain.store;
