package io.meshwork.node.cli;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.concurrent.TimeUnit;

/** A throwaway host connected to one peer, for the one-shot commands (ping, identify, perf). */
final class PeerSession implements AutoCloseable {
  static final int CONNECT_TIMEOUT_SECONDS = 20;

  final Host host;
  final Connection connection;

  private PeerSession(Host host, Connection connection) {
    this.host = host;
    this.connection = connection;
  }

  static PeerSession open(String address) throws Exception {
    Multiaddr target = NodeCommand.parse(address);
    Host host = new HostBuilder().build();
    try {
      Connection connection = host.dial(target).get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new PeerSession(host, connection);
    } catch (Exception e) {
      host.close();
      throw new IllegalStateException("cannot connect to " + target + ": " + Errors.reason(e), e);
    }
  }

  @Override
  public void close() {
    host.close();
  }
}
