package io.meshwork.node.cli;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.host.HostConfig;
import io.meshwork.networking.protocol.identify.IdentifyInfo;
import io.meshwork.networking.protocol.identify.IdentifyService;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code meshwork identify MULTIADDR}: prints what the peer says about itself. */
@Command(name = "identify", description = "Asks a libp2p peer who it is (/ipfs/id/1.0.0).")
final class IdentifyCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the peer's multiaddr")
  String address;

  @Override
  public Integer call() throws Exception {
    try (PeerSession session = PeerSession.open(address)) {
      // Only the asking side of identify is used here, so the key it would answer with is unused.
      IdentifyService identify =
          new IdentifyService(
              session.host,
              PrivateKey.generate(KeyType.ED25519),
              HostConfig.DEFAULT_AGENT,
              e -> {});
      IdentifyInfo info = identify.identify(session.connection).get(10, TimeUnit.SECONDS);
      System.out.println("peer-id " + info.peerId());
      System.out.println("agent-version " + info.agentVersion());
      System.out.println("protocol-version " + info.protocolVersion());
      info.publicKey()
          .ifPresent(
              k ->
                  System.out.println(
                      "key-type " + k.type().name().toLowerCase(java.util.Locale.ROOT)));
      info.protocols().stream().sorted().forEach(p -> System.out.println("protocol " + p));
      info.listenAddresses().forEach(a -> System.out.println("address " + a));
      info.observedAddress().ifPresent(a -> System.out.println("observed-address " + a));
      info.signedRecordSeq().ifPresent(s -> System.out.println("signed-peer-record seq=" + s));
    }
    return 0;
  }
}
