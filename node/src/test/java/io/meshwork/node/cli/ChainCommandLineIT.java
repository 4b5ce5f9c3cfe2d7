package io.meshwork.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mining dev node run as a process, and a transaction sent to it with {@code tx send}. */
class ChainCommandLineIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aMiningNodeIncludesATransactionSentWithTxSend(@TempDir Path dir) throws Exception {
    MeshworkProcess.Result accounts =
        MeshworkProcess.run(TIMEOUT, "dev-accounts", "--out", dir.toString());
    assertThat(accounts.exitCode()).as(accounts.stderr()).isZero();
    assertThat(accounts.stdout()).hasSize(10);
    assertThat(accounts.stdout().get(0)).matches("account 0 [0-9a-f]{40} 1000000000");
    assertThat(Files.exists(dir.resolve("dev-0.key"))).isTrue();
    String recipient = accounts.stdout().get(1).split(" ")[2];

    try (MeshworkProcess node =
        MeshworkProcess.start(
            "node",
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--api",
            "127.0.0.1:0",
            "--mine",
            "--miner-key",
            dir.resolve("dev-9.key").toString())) {
      String api = node.awaitLine(l -> l.startsWith("api "), TIMEOUT).substring("api ".length());
      node.awaitLine(l -> l.matches("head 0 [0-9a-f]{64}"), TIMEOUT);
      node.awaitLine(l -> l.matches("head 1 [0-9a-f]{64}"), TIMEOUT);
      node.awaitLine(l -> l.matches("head 2 [0-9a-f]{64}"), TIMEOUT);

      MeshworkProcess.Result sent =
          MeshworkProcess.run(
              TIMEOUT,
              "tx",
              "send",
              "--api",
              api,
              "--key",
              dir.resolve("dev-0.key").toString(),
              "--to",
              recipient,
              "--amount",
              "1234");
      assertThat(sent.exitCode()).as(sent.stderr()).isZero();
      assertThat(sent.stdout()).hasSize(1);
      assertThat(sent.stdout().get(0)).matches("tx [0-9a-f]{64}");
      String hash = sent.stdout().get(0).substring("tx ".length());

      // Included within a few blocks (one every ~2 s once the difficulty settles): poll each
      // new head line rather than sleeping.
      JsonNode status = null;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        status = get(api + "/v1/chain/transactions/" + hash);
        if (status.get("status").asText().equals("included")) {
          break;
        }
        node.awaitLine(l -> l.startsWith("head "), TIMEOUT);
      }
      assertThat(status.get("status").asText()).isEqualTo("included");
      JsonNode account = get(api + "/v1/chain/accounts/" + recipient);
      assertThat(account.get("balance").asLong()).isEqualTo(1_000_000_000L + 1234);

      MeshworkProcess.Result again =
          MeshworkProcess.run(
              TIMEOUT,
              "tx",
              "send",
              "--api",
              api,
              "--key",
              dir.resolve("dev-0.key").toString(),
              "--to",
              "not-an-address",
              "--amount",
              "1");
      assertThat(again.exitCode()).isNotZero();
      assertThat(again.stderr().strip())
          .startsWith("meshwork: --to wants an address")
          .doesNotContain("\n");

      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics).contains("meshwork_mining_blocks_mined_total ");
    }
  }

  @Test
  void aBadGenesisFileIsAOneLineError(@TempDir Path dir) throws Exception {
    Path genesis = dir.resolve("genesis.json");
    Files.writeString(genesis, "{\"network\":\"x\",\"timestampMillis\":1,\"balances\":{\"zz\":1}}");
    MeshworkProcess.Result result =
        MeshworkProcess.run(
            TIMEOUT, "node", "--listen", "/ip4/127.0.0.1/tcp/0", "--genesis", genesis.toString());
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr().strip())
        .startsWith("meshwork: genesis file " + genesis + ": field balances.zz")
        .doesNotContain("\n");
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
