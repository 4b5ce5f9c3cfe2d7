/**
 * The block tree, fork choice and reorganisation.
 *
 * <p>{@link io.meshwork.chain.tree.BlockTree} holds every header connected to genesis with its
 * cumulative work; {@link io.meshwork.chain.tree.ForkChoice} picks the tip with the most cumulative
 * work, keeping the first seen on a tie; {@link io.meshwork.chain.tree.OrphanPool} holds a bounded
 * number of blocks whose parent has not arrived; {@link io.meshwork.chain.tree.Reorganizer} moves
 * the state from one tip to another through their common ancestor with stored undo data, writing
 * the outcome in one atomic batch, and refuses to undo more than a configured depth.
 */
package io.meshwork.chain.tree;
