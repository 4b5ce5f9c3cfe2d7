package io.meshwork.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with {@code --data-dir} remembers the peers it learned: restarted after its only
 * bootstrap node is gone, it reconnects from its persisted address book.
 */
class AddressBookCommandLineIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void aRestartedNodeReconnectsFromItsAddressBookWithTheBootstrapNodeGone(@TempDir Path dataDir)
      throws Exception {
    MeshworkProcess a = node();
    String addressA = listening(a);
    try (MeshworkProcess b = node("--bootstrap", addressA)) {
      String peerB = peerId(listening(b));
      try {
        try (MeshworkProcess c = node("--bootstrap", addressA, "--data-dir", dataDir.toString())) {
          listening(c);
          // C learns of B through A (identify, the DHT, peer exchange) and connects to it.
          c.awaitLine(("connected " + peerB)::equals, TIMEOUT);
        } // SIGTERM: the node writes its address book as it stops
        assertThat(dataDir.resolve("peers")).isDirectory();
      } finally {
        a.close();
      }

      // A is gone and C starts on a new port with a new identity, so B cannot be the one dialing:
      // C reaches B only through what its address book remembered.
      try (MeshworkProcess c = node("--bootstrap", addressA, "--data-dir", dataDir.toString())) {
        listening(c);
        c.awaitLine(("connected " + peerB)::equals, TIMEOUT);
      }
    }
  }

  private static MeshworkProcess node(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("node", "--listen", "/ip4/127.0.0.1/tcp/0"));
    args.addAll(List.of(extra));
    return MeshworkProcess.start(args.toArray(String[]::new));
  }

  private static String listening(MeshworkProcess node) throws InterruptedException {
    return node.awaitLine(l -> l.startsWith("listening "), TIMEOUT).substring(10);
  }

  private static String peerId(String address) {
    return address.substring(address.lastIndexOf('/') + 1);
  }
}
