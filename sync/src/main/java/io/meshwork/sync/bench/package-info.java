/**
 * {@code meshwork bench propagation}: block and transaction propagation over N real loopback nodes
 * in one JVM, compact relay against full-block relay in the same run (docs/benchmarks.md).
 */
package io.meshwork.sync.bench;
