/**
 * Local block production: {@link io.meshwork.sync.mining.MiningLoop} mines on the chain's head in
 * bounded slices at a fixed hash budget (see {@code ConsensusParams#testnet()} for why a budget
 * rather than flat out) and imports what it finds. It does not announce blocks: propagation is the
 * rest of this module's job.
 */
package io.meshwork.sync.mining;
