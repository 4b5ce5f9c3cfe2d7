/**
 * Perf ({@code /perf/1.0.0}, specs {@code perf/perf.md}): the client sends the number of bytes it
 * wants back as a big-endian u64, uploads its bytes and closes its side; the server reads to the
 * end, sends the requested bytes and closes.
 */
package io.meshwork.networking.protocol.perf;
