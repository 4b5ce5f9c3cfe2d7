package io.meshwork.networking.protocol.perf;

import java.time.Duration;

/**
 * One perf run.
 *
 * @param elapsed wall time of the whole transfer, from opening the stream to the last byte back
 * @param uploadElapsed from opening the stream to the first byte back (the server answers only
 *     after reading the whole upload), or to the end of the upload when nothing is downloaded
 */
public record PerfResult(
    long uploadBytes, long downloadBytes, Duration elapsed, Duration uploadElapsed) {
  public double seconds() {
    return elapsed.toNanos() / 1e9;
  }

  /** Upload throughput in megabytes (10^6 bytes) per second of the upload phase. */
  public double uploadMegabytesPerSecond() {
    return uploadBytes / 1e6 / (uploadElapsed.toNanos() / 1e9);
  }

  /** Download throughput in megabytes per second of the download phase. */
  public double downloadMegabytesPerSecond() {
    return downloadBytes / 1e6 / (elapsed.minus(uploadElapsed).toNanos() / 1e9);
  }
}
