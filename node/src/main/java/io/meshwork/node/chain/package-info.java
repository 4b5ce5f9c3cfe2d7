/**
 * The chain as a node runs it: the built-in networks ({@link io.meshwork.node.chain.Networks},
 * {@link io.meshwork.node.chain.DevNetwork}), genesis files ({@link
 * io.meshwork.node.chain.GenesisJson}), account key files ({@link
 * io.meshwork.node.chain.AccountKeys}) and the index of recently included transactions the API
 * answers from ({@link io.meshwork.node.chain.TransactionIndex}). Embedders reuse these; nothing
 * here does networking.
 */
package io.meshwork.node.chain;
