/**
 * The genesis block and state, built deterministically from a {@link
 * io.meshwork.chain.genesis.GenesisConfig}: the network id, initial balances, initial difficulty
 * and consensus parameters. The genesis header's parent is SHA-256("meshwork/genesis/" + network
 * id), so two networks with otherwise equal configs have different genesis hashes, and transaction
 * signatures (which cover the genesis hash) cannot be replayed between them.
 */
package io.meshwork.chain.genesis;
