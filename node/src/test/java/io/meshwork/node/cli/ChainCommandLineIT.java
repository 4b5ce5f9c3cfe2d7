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
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain nodes run as processes over loopback: a mining dev node and a transaction sent to it with
 * {@code tx send}, a second node that follows the miner, and a node of another network that is
 * turned away.
 */
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

  @Test
  void aSecondNodeFollowsTheMinerAndATransactionSentToItIsMinedIntoBoth(@TempDir Path dir)
      throws Exception {
    MeshworkProcess.Result accounts =
        MeshworkProcess.run(TIMEOUT, "dev-accounts", "--out", dir.toString());
    assertThat(accounts.exitCode()).as(accounts.stderr()).isZero();
    String recipient = accounts.stdout().get(1).split(" ")[2];

    try (MeshworkProcess miner =
        MeshworkProcess.start(
            "node",
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--api",
            "127.0.0.1:0",
            "--mine",
            "--miner-key",
            dir.resolve("dev-9.key").toString())) {
      String minerAddress = listeningAddress(miner);
      String minerId = minerAddress.substring(minerAddress.lastIndexOf("/p2p/") + "/p2p/".length());
      String minerApi = apiUrl(miner);
      miner.awaitLine(l -> l.matches("head 3 [0-9a-f]{64}"), TIMEOUT);

      try (MeshworkProcess follower =
          MeshworkProcess.start(
              "node",
              "--listen",
              "/ip4/127.0.0.1/tcp/0",
              "--api",
              "127.0.0.1:0",
              "--bootstrap",
              minerAddress)) {
        String followerApi = apiUrl(follower);
        follower.awaitLine(l -> l.equals("connected " + minerId), TIMEOUT);

        // Caught up: the follower reaches a head (at height 3 or more) that the miner also had.
        // The miner keeps mining, so compare printed head lines, not two reads that race.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Optional<String> shared = sharedHead(miner, follower, 3);
        while (shared.isEmpty() && System.nanoTime() < deadline) {
          follower.pollLine(l -> l.startsWith("head "), Duration.ofSeconds(1));
          shared = sharedHead(miner, follower, 3);
        }
        assertThat(shared)
            .as("a head both printed; miner: %s; follower: %s", miner.printed(), follower.printed())
            .isPresent();

        // And through the API: both report the same head at one moment (the miner's head read
        // before and after the follower's, all three equal).
        boolean same = false;
        String followerHead = "";
        while (!same && System.nanoTime() < deadline) {
          String before = get(minerApi + "/v1/chain/head").get("hash").asText();
          followerHead = get(followerApi + "/v1/chain/head").get("hash").asText();
          String after = get(minerApi + "/v1/chain/head").get("hash").asText();
          same = before.equals(followerHead) && after.equals(followerHead);
          if (!same) {
            follower.pollLine(l -> l.startsWith("head "), Duration.ofSeconds(1));
          }
        }
        assertThat(same).as("the same head on both APIs; follower at " + followerHead).isTrue();

        // The follower does not mine: the transaction reaches the miner by gossip, and the block
        // that includes it reaches the follower the same way.
        MeshworkProcess.Result sent =
            MeshworkProcess.run(
                TIMEOUT,
                "tx",
                "send",
                "--api",
                followerApi,
                "--key",
                dir.resolve("dev-0.key").toString(),
                "--to",
                recipient,
                "--amount",
                "1234");
        assertThat(sent.exitCode()).as(sent.stderr()).isZero();
        assertThat(sent.stdout()).hasSize(1);
        String hash = sent.stdout().get(0).substring("tx ".length());

        Optional<JsonNode> onMiner = Optional.empty();
        Optional<JsonNode> onFollower = Optional.empty();
        deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
          onMiner = find(minerApi + "/v1/chain/transactions/" + hash);
          onFollower = find(followerApi + "/v1/chain/transactions/" + hash);
          if (included(onMiner)
              && included(onFollower)
              && onMiner.get().get("block").equals(onFollower.get().get("block"))) {
            break;
          }
          follower.pollLine(l -> l.startsWith("head "), Duration.ofSeconds(1));
        }
        assertThat(onMiner).as("on the miner").hasValueSatisfying(ChainCommandLineIT::isIncluded);
        assertThat(onFollower)
            .as("on the follower")
            .hasValueSatisfying(ChainCommandLineIT::isIncluded);
        assertThat(onFollower.get().get("block")).isEqualTo(onMiner.get().get("block"));
        assertThat(onFollower.get().get("height")).isEqualTo(onMiner.get().get("height"));

        long expected = 1_000_000_000L + 1234;
        assertThat(get(minerApi + "/v1/chain/accounts/" + recipient).get("balance").asLong())
            .isEqualTo(expected);
        assertThat(get(followerApi + "/v1/chain/accounts/" + recipient).get("balance").asLong())
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void aNodeOfAnotherNetworkIsDisconnectedAndStaysAtGenesis(@TempDir Path dir) throws Exception {
    try (MeshworkProcess miner =
        MeshworkProcess.start("node", "--listen", "/ip4/127.0.0.1/tcp/0", "--mine")) {
      String minerAddress = listeningAddress(miner);
      String minerId = minerAddress.substring(minerAddress.lastIndexOf("/p2p/") + "/p2p/".length());
      miner.awaitLine(l -> l.matches("head 1 [0-9a-f]{64}"), TIMEOUT);

      // Same consensus rules and genesis time as dev, another network id: only the status
      // exchange tells the two apart.
      Path genesis = dir.resolve("genesis.json");
      Files.writeString(
          genesis, "{\"network\":\"elsewhere\",\"timestampMillis\":1767225600000,\"balances\":{}}");
      try (MeshworkProcess stranger =
          MeshworkProcess.start(
              "node",
              "--listen",
              "/ip4/127.0.0.1/tcp/0",
              "--api",
              "127.0.0.1:0",
              "--genesis",
              genesis.toString(),
              "--bootstrap",
              minerAddress)) {
        String strangerAddress = listeningAddress(stranger);
        String strangerId =
            strangerAddress.substring(strangerAddress.lastIndexOf("/p2p/") + "/p2p/".length());
        String api = apiUrl(stranger);
        stranger.awaitLine(l -> l.equals("connected " + minerId), TIMEOUT);
        stranger.awaitLine(l -> l.equals("disconnected " + minerId), TIMEOUT);
        miner.awaitLine(l -> l.equals("disconnected " + strangerId), TIMEOUT);

        JsonNode head = get(api + "/v1/chain/head");
        assertThat(head.get("network").asText()).isEqualTo("elsewhere");
        assertThat(head.get("height").asLong()).isZero();
        assertThat(stranger.printed())
            .filteredOn(l -> l.startsWith("head "))
            .allMatch(l -> l.startsWith("head 0 "));
        assertThat(metric(api, "meshwork_sync_wrong_network_peers_total")).isPositive();
      }
    }
  }

  /** The multiaddr, with /p2p/, of the first {@code listening} line. */
  private static String listeningAddress(MeshworkProcess node) throws InterruptedException {
    String address =
        node.awaitLine(l -> l.startsWith("listening "), TIMEOUT).substring("listening ".length());
    assertThat(address).contains("/p2p/");
    return address;
  }

  private static String apiUrl(MeshworkProcess node) throws InterruptedException {
    return node.awaitLine(l -> l.startsWith("api "), TIMEOUT).substring("api ".length());
  }

  /** A {@code head} line at {@code minHeight} or above that both printed. */
  private static Optional<String> sharedHead(MeshworkProcess a, MeshworkProcess b, long minHeight) {
    Set<String> heads = new HashSet<>(a.printed());
    return b.printed().stream()
        .filter(l -> l.startsWith("head ") && heads.contains(l))
        .filter(l -> Long.parseLong(l.split(" ")[1]) >= minHeight)
        .findFirst();
  }

  private static boolean included(Optional<JsonNode> status) {
    return status.isPresent() && status.get().get("status").asText().equals("included");
  }

  private static void isIncluded(JsonNode status) {
    assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("included");
  }

  private static long metric(String api, String name) throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return text.lines()
        .filter(l -> l.startsWith(name + " "))
        .map(l -> Long.parseLong(l.substring(name.length() + 1).strip()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + text));
  }

  /** The JSON at {@code url}, or empty on 404 (a transaction the node has not heard of yet). */
  private static Optional<JsonNode> find(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return Optional.of(JSON.readTree(response.body()));
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
