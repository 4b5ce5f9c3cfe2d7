/**
 * Pending transactions, validated against the head state, bounded by count and bytes, ordered for
 * block assembly by fee across senders and by nonce within a sender. Replacement (same sender and
 * nonce) needs a strictly higher fee. Ids are exposed for compact block relay and bloom filters.
 */
package io.meshwork.chain.mempool;
