/**
 * Gossip-side helpers for the tx and block topics: {@link
 * io.meshwork.sync.gossip.TransactionBatcher} groups new transactions into tx-topic messages.
 *
 * <p>Spec: {@code docs/protocols/chain-gossip.md}, "Topics" and "Messages". Sans-IO: time is passed
 * in as nanoseconds, nothing here schedules or blocks.
 */
package io.meshwork.sync.gossip;
