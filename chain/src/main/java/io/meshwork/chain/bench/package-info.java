/**
 * The chain benchmark ({@code ./meshwork bench chain}): import throughput and reorganisation time
 * on RocksDB, set against the Ed25519 verification rate of the same JVM (the ceiling for signed
 * transactions per second on one core) and against replaying from genesis.
 */
package io.meshwork.chain.bench;
