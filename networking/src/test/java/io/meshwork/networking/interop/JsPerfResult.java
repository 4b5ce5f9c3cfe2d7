package io.meshwork.networking.interop;

import java.util.Map;

/**
 * One {@code /perf/1.0.0} exchange run by the js peer as client.
 *
 * @param uploadBytes bytes the js peer sent after the 8-byte header
 * @param downloadBytes bytes it received back (checked equal to the amount asked for)
 * @param seconds from opening the stream to the end of the download
 * @param uploadSeconds from opening the stream to the first byte back (the server answers only
 *     after reading the upload to its end)
 * @param downloadSeconds from the first byte back to the last
 */
public record JsPerfResult(
    long uploadBytes,
    long downloadBytes,
    double seconds,
    double uploadSeconds,
    double downloadSeconds) {

  static JsPerfResult fromJson(Map<String, Object> json) {
    return new JsPerfResult(
        ((Number) json.get("uploadBytes")).longValue(),
        ((Number) json.get("downloadBytes")).longValue(),
        ((Number) json.get("seconds")).doubleValue(),
        ((Number) json.get("uploadSeconds")).doubleValue(),
        ((Number) json.get("downloadSeconds")).doubleValue());
  }

  /** Upload throughput in MB (10^6 bytes) per second. */
  public double uploadMegabytesPerSecond() {
    return uploadBytes / 1e6 / uploadSeconds;
  }

  /** Download throughput in MB (10^6 bytes) per second. */
  public double downloadMegabytesPerSecond() {
    return downloadBytes / 1e6 / downloadSeconds;
  }
}
