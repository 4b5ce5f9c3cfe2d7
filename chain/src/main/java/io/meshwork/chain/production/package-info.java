/**
 * Block production: assemble a block on the head from the mempool's selection (state root computed
 * by applying and then undoing the transactions on the head state) and mine it in bounded slices.
 */
package io.meshwork.chain.production;
