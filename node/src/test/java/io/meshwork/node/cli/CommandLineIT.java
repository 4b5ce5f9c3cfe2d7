package io.meshwork.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the meshwork command line as separate processes, as a user would. */
class CommandLineIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aNodeAnswersPingIdentifyPerfAndItsApi(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("node.key");
    MeshworkProcess.Result keygen =
        MeshworkProcess.run(TIMEOUT, "keygen", "--type", "secp256k1", "--out", key.toString());
    assertThat(keygen.exitCode()).isZero();
    String peerId = keygen.stdout().get(0).substring("peer-id ".length());
    assertThat(peerId).startsWith("16Uiu2");

    try (MeshworkProcess node =
        MeshworkProcess.start(
            "node",
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--identity",
            key.toString(),
            "--api",
            "127.0.0.1:0")) {
      String listening = node.awaitLine(l -> l.startsWith("listening "), TIMEOUT);
      String address = listening.substring("listening ".length());
      assertThat(address).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + peerId);
      String api = node.awaitLine(l -> l.startsWith("api "), TIMEOUT).substring("api ".length());

      MeshworkProcess.Result ping = MeshworkProcess.run(TIMEOUT, "ping", address, "--count", "3");
      assertThat(ping.exitCode()).as(ping.stderr()).isZero();
      assertThat(ping.stdout()).filteredOn(l -> l.startsWith("ping " + peerId)).hasSize(3);
      node.awaitLine(l -> l.startsWith("connected "), TIMEOUT);

      MeshworkProcess.Result identify = MeshworkProcess.run(TIMEOUT, "identify", address);
      assertThat(identify.exitCode()).as(identify.stderr()).isZero();
      assertThat(identify.stdout())
          .contains(
              "peer-id " + peerId,
              "agent-version meshwork/0.1.0",
              "key-type secp256k1",
              "protocol /ipfs/ping/1.0.0",
              "protocol /perf/1.0.0");

      MeshworkProcess.Result perf =
          MeshworkProcess.run(
              TIMEOUT, "perf", address, "--upload", "3000000", "--download", "2000000");
      assertThat(perf.exitCode()).as(perf.stderr()).isZero();
      JsonNode result = JSON.readTree(perf.stdout().get(perf.stdout().size() - 1));
      assertThat(result.get("uploadBytes").asLong()).isEqualTo(3_000_000);
      assertThat(result.get("downloadBytes").asLong()).isEqualTo(2_000_000);
      assertThat(result.get("seconds").asDouble()).isPositive();

      HttpResponse<String> identity =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(api + "/v1/node/identity")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(identity.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(identity.body());
      assertThat(body.get("peerId").asText()).isEqualTo(peerId);
      assertThat(body.get("addresses").get(0).asText()).isEqualTo(address);
      assertThat(body.get("protocols").toString()).contains("/ipfs/id/1.0.0");
      HttpResponse<String> peers =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(api + "/v1/node/peers")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(peers.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(peers.body()).isArray()).isTrue();
    }
  }

  @Test
  void anUnreachablePeerIsAOneLineErrorAndAFailureStatus() throws Exception {
    MeshworkProcess.Result ping =
        MeshworkProcess.run(
            TIMEOUT,
            "ping",
            "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    assertThat(ping.exitCode()).isNotZero();
    assertThat(ping.stderr().strip())
        .startsWith("meshwork: cannot connect to")
        .doesNotContain("\tat ");
  }

  @Test
  void aBadMultiaddrIsRejectedWithItsReason() throws Exception {
    MeshworkProcess.Result node =
        MeshworkProcess.run(TIMEOUT, "node", "--listen", "/ip4/nonsense/tcp/1");
    assertThat(node.exitCode()).isNotZero();
    assertThat(node.stderr().strip()).startsWith("meshwork: bad multiaddr '/ip4/nonsense/tcp/1'");
  }
}
