package io.meshwork.networking.protocol.perf;

import java.time.Duration;

/** One perf run: bytes each way and the wall time of the whole transfer. */
public record PerfResult(long uploadBytes, long downloadBytes, Duration elapsed) {
  public double seconds() {
    return elapsed.toNanos() / 1e9;
  }

  /** Upload throughput in megabytes (10^6 bytes) per second. */
  public double uploadMegabytesPerSecond() {
    return uploadBytes / 1e6 / seconds();
  }

  public double downloadMegabytesPerSecond() {
    return downloadBytes / 1e6 / seconds();
  }
}
