/**
 * Consensus rules: proof of work over the block header, the difficulty retarget, timestamp bounds
 * and cumulative work.
 *
 * <p>Proof of work: a header is valid when SHA-256(header encoding), read as an unsigned big-endian
 * 256-bit number, is at most the target its own {@code difficultyBits} encode, and that target is
 * no easier than the network's limit. Both checks need the header alone, which is what header-first
 * sync relies on. Whether the bits are the <em>right</em> ones for the position ({@link
 * io.meshwork.chain.consensus.DifficultyRetarget}) and whether the timestamp is after the median of
 * the previous 11 ({@link io.meshwork.chain.consensus.MedianTimePast}) need only ancestor headers,
 * never bodies or state.
 *
 * <p>Work of a block is 2^256 / (target + 1), the expected number of hashes to find it; fork choice
 * compares the sum along a chain.
 */
package io.meshwork.chain.consensus;
