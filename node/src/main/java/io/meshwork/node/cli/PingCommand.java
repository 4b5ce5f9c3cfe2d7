package io.meshwork.node.cli;

import io.meshwork.networking.protocol.ping.PingService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meshwork ping MULTIADDR [--count N]}. */
@Command(name = "ping", description = "Pings a libp2p peer (/ipfs/ping/1.0.0).")
final class PingCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      description = "the peer's multiaddr, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...")
  String address;

  @Option(names = "--count", defaultValue = "4", description = "number of pings (default 4)")
  int count;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || count > 10_000) {
      throw new IllegalArgumentException("--count must be between 1 and 10000");
    }
    try (PeerSession session = PeerSession.open(address)) {
      List<Duration> rtts =
          new PingService(session.host, System::nanoTime)
              .ping(session.connection.remotePeerId(), count)
              .get(10L * count + 10, TimeUnit.SECONDS);
      for (int i = 0; i < rtts.size(); i++) {
        System.out.printf(
            "ping %s seq=%d time=%.3f ms%n",
            session.connection.remotePeerId(), i + 1, rtts.get(i).toNanos() / 1e6);
      }
      double min = rtts.stream().mapToLong(Duration::toNanos).min().orElse(0) / 1e6;
      double avg = rtts.stream().mapToLong(Duration::toNanos).average().orElse(0) / 1e6;
      double max = rtts.stream().mapToLong(Duration::toNanos).max().orElse(0) / 1e6;
      System.out.printf(
          "%d pings, rtt min/avg/max = %.3f/%.3f/%.3f ms%n", rtts.size(), min, avg, max);
    }
    return 0;
  }
}
