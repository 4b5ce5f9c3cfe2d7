package io.meshwork.node.cli;

import io.meshwork.networking.protocol.perf.PerfResult;
import io.meshwork.networking.protocol.perf.PerfService;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshwork perf MULTIADDR [--upload BYTES] [--download BYTES]}. The last line is one JSON
 * object: {@code {"uploadBytes": N, "downloadBytes": N, "seconds": S}}.
 */
@Command(name = "perf", description = "Measures throughput to a libp2p peer (/perf/1.0.0).")
final class PerfCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the peer's multiaddr")
  String address;

  @Option(
      names = "--upload",
      defaultValue = "104857600",
      description = "bytes to send (default 100 MiB)")
  long upload;

  @Option(
      names = "--download",
      defaultValue = "104857600",
      description = "bytes to receive (default 100 MiB)")
  long download;

  @Override
  public Integer call() throws Exception {
    if (upload < 0 || download < 0) {
      throw new IllegalArgumentException("--upload and --download must not be negative");
    }
    try (PeerSession session = PeerSession.open(address)) {
      PerfResult result =
          new PerfService(session.host, System::nanoTime)
              .run(session.connection.remotePeerId(), upload, download)
              .get(30 + (upload + download) / 1_000_000, TimeUnit.SECONDS);
      System.out.printf(
          Locale.ROOT,
          "perf %s: uploaded %d bytes, downloaded %d bytes in %.3f s (upload %.1f MB/s, download %.1f MB/s)%n",
          session.connection.remotePeerId(),
          result.uploadBytes(),
          result.downloadBytes(),
          result.seconds(),
          result.uploadMegabytesPerSecond(),
          result.downloadMegabytesPerSecond());
      System.out.printf(
          Locale.ROOT,
          "{\"uploadBytes\": %d, \"downloadBytes\": %d, \"seconds\": %.6f}%n",
          result.uploadBytes(),
          result.downloadBytes(),
          result.seconds());
    }
    return 0;
  }
}
