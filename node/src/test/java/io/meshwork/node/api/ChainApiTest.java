package io.meshwork.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.chain.ImportResult;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.node.Node;
import io.meshwork.node.NodeBuilder;
import io.meshwork.node.NodeConfig;
import io.meshwork.node.chain.DevNetwork;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /v1/chain endpoints of a node that does not mine; blocks are imported by the test. */
class ChainApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SigningKey ALICE = DevNetwork.accountKey(0);
  private static final Address BOB = DevNetwork.accountKey(1).address();

  private final HttpClient http = HttpClient.newHttpClient();
  private Node node;
  private String api;

  @BeforeEach
  void start() {
    GenesisConfig genesis = GenesisConfig.forTests(Map.of(ALICE.address(), 1_000_000L));
    NodeConfig config =
        new NodeConfig(
                List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0")),
                List.of(),
                Optional.empty(),
                Optional.of(new InetSocketAddress("127.0.0.1", 0)))
            .withChain(genesis, Optional.empty(), Optional.empty());
    node = new NodeBuilder(config).start();
    InetSocketAddress address = node.apiAddress().orElseThrow();
    api = "http://127.0.0.1:" + address.getPort();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void headReportsTheGenesisAtFirst() throws Exception {
    JsonNode head = getJson("/v1/chain/head", 200);
    assertThat(head.get("height").asLong()).isZero();
    assertThat(head.get("hash").asText()).isEqualTo(node.chain().genesisHash().toHex());
    assertThat(head.get("genesisHash").asText()).isEqualTo(node.chain().genesisHash().toHex());
    assertThat(head.get("network").asText()).isEqualTo("meshwork-test");
    assertThat(head.get("totalWork").asText()).isNotEmpty();
    assertThat(head.has("timestamp")).isTrue();
  }

  @Test
  void blocksAreFoundByHeightAndHashAndUnknownOnesAre404AndGarbage400() throws Exception {
    Block block = mineBlock();
    JsonNode byHeight = getJson("/v1/chain/blocks/1", 200);
    assertThat(byHeight.get("hash").asText()).isEqualTo(block.hash().toHex());
    assertThat(byHeight.get("parent").asText()).isEqualTo(node.chain().genesisHash().toHex());
    JsonNode byHash = getJson("/v1/chain/blocks/" + block.hash().toHex(), 200);
    assertThat(byHash.get("height").asLong()).isEqualTo(1);
    assertThat(byHash.get("transactions").isArray()).isTrue();

    assertThat(getJson("/v1/chain/blocks/99", 404).get("error").asText()).contains("no block");
    getJson("/v1/chain/blocks/" + "ab".repeat(32), 404);
    assertThat(getJson("/v1/chain/blocks/xyz", 400).get("error").asText())
        .contains("not a block hash");
    getJson("/v1/chain/transactions/nothex", 400);
    getJson("/v1/chain/transactions/" + "cd".repeat(32), 404);
    getJson("/v1/chain/accounts/123", 400);
  }

  @Test
  void aGoodTransactionIsAcceptedThenPendingThenIncluded() throws Exception {
    Transaction tx = sign(5, 1, 0);
    HttpResponse<String> posted = post(tx.encode());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    assertThat(JSON.readTree(posted.body()).get("hash").asText()).isEqualTo(tx.id().toHex());

    JsonNode pending = getJson("/v1/chain/transactions/" + tx.id().toHex(), 200);
    assertThat(pending.get("status").asText()).isEqualTo("pending");
    JsonNode account = getJson("/v1/chain/accounts/" + ALICE.address().toHex(), 200);
    assertThat(account.get("nonce").asLong()).isZero();
    assertThat(account.get("pendingNonce").asLong()).isEqualTo(1);
    assertThat(account.get("balance").asLong()).isEqualTo(1_000_000L);

    Block block = mineBlock();
    assertThat(block.transactions()).contains(tx);
    JsonNode included = getJson("/v1/chain/transactions/" + tx.id().toHex(), 200);
    assertThat(included.get("status").asText()).isEqualTo("included");
    assertThat(included.get("block").asText()).isEqualTo(block.hash().toHex());
    assertThat(included.get("height").asLong()).isEqualTo(1);
    JsonNode full = getJson("/v1/chain/blocks/1?full=true", 200);
    assertThat(full.get("transactions").get(0).get("to").asText()).isEqualTo(BOB.toHex());
    JsonNode after = getJson("/v1/chain/accounts/" + BOB.toHex(), 200);
    assertThat(after.get("balance").asLong()).isEqualTo(5);
  }

  @Test
  void badTransactionsGetClearErrors() throws Exception {
    assertError(post(new byte[] {1, 2, 3}), 400, "MALFORMED_ENCODING");
    byte[] forged = sign(5, 1, 0).encode();
    forged[forged.length - 1] ^= 1;
    assertError(post(forged), 400, "BAD_SIGNATURE");
    assertError(post(sign(5, 0, 0).encode()), 400, "FEE_TOO_LOW");
    assertError(post(sign(5, 1, 1_000).encode()), 409, "NONCE_TOO_FAR_AHEAD");
    assertError(post(sign(10_000_000, 1, 0).encode()), 400, "INSUFFICIENT_BALANCE");
    Transaction tx = sign(5, 1, 0);
    assertThat(post(tx.encode()).statusCode()).isEqualTo(202);
    assertError(post(tx.encode()), 409, "ALREADY_KNOWN");
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/v1/chain/transactions")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void eventsStreamHeadChanges() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/v1/chain/events")).build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> response.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith(":"); // subscribed: the stream is on

    Block block = mineBlock();
    String data = null;
    while (data == null) {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("an event line").isNotNull();
      if (line.startsWith("data: ")) {
        data = line.substring("data: ".length());
      }
    }
    JsonNode event = JSON.readTree(data);
    assertThat(event.get("type").asText()).isEqualTo("head");
    assertThat(event.get("height").asLong()).isEqualTo(1);
    assertThat(event.get("hash").asText()).isEqualTo(block.hash().toHex());
    response.body().close();
  }

  @Test
  void metricsShowTheChain() throws Exception {
    mineBlock();
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains(
            "meshwork_chain_head_height 1",
            "meshwork_chain_total_work ",
            "meshwork_mempool_transactions 0",
            "meshwork_mempool_bytes 0",
            "meshwork_chain_orphans 0",
            "meshwork_chain_reorgs_total 0",
            "meshwork_mining_blocks_mined_total 0",
            "meshwork_mining_stale_total 0");
  }

  private Block mineBlock() {
    Block block = node.chain().produceBlock(100_000).orElseThrow();
    assertThat(node.chain().importBlock(block)).isInstanceOf(ImportResult.NewHead.class);
    return block;
  }

  private Transaction sign(long amount, long fee, long nonce) {
    return Transaction.sign(ALICE, node.chain().genesisHash(), BOB, amount, fee, nonce);
  }

  private JsonNode getJson(String path, int status) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(api + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> post(byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + "/v1/chain/transactions"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> response, int status, String reason)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("reason").asText()).isEqualTo(reason);
    assertThat(body.get("error").asText()).isNotEmpty();
  }
}
