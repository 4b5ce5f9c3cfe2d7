package io.meshwork.networking.host;

import io.meshwork.networking.protocol.identify.IdentifyService;
import io.meshwork.networking.protocol.perf.PerfService;
import io.meshwork.networking.protocol.ping.PingService;

/** Installs the protocols every host serves: identify (and push), ping and perf. */
final class StandardProtocols {
  private StandardProtocols() {}

  static void install(BasicHost host, HostConfig config) {
    IdentifyService identify =
        new IdentifyService(host, host.identity(), config.agentVersion(), host::publish);
    identify.install();
    new PingService(host, System::nanoTime).install();
    new PerfService(host, System::nanoTime).install();
    host.protocolRegistry().onChange(protocols -> identify.pushToConnectedPeers());
  }
}
