/**
 * Account state (balance and nonce per address), its root, and the per-block state transition with
 * undo data.
 *
 * <p>State root: accounts are grouped into 256 buckets by the first byte of their address. A
 * bucket's hash is SHA-256 over its accounts in address order, each as address || varint(balance)
 * || varint(nonce); the root is the {@link io.meshwork.chain.model.MerkleRoot} of the 256 bucket
 * hashes. It commits to every account, is independent of insertion order, and updates incrementally
 * (only touched buckets are rehashed), which a full sorted-list hash would not. An account with
 * zero balance and nonce is the same as no account.
 */
package io.meshwork.chain.state;
