package io.meshwork.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Three nodes as separate processes: B and C know only A, yet B's DHT finds C through A, and the
 * DHT API answers 404 for an unknown peer and 400 for a malformed id.
 */
class DhtCommandLineIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DHT_TIMEOUT = Duration.ofSeconds(30);

  /** A valid peer id that no node here has. */
  private static final String UNKNOWN_PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aNodeBootstrappedFromOnePeerLearnsAnotherThroughTheDht() throws Exception {
    try (MeshworkProcess a = node()) {
      String addressA = a.awaitLine(l -> l.startsWith("listening "), TIMEOUT).substring(10);
      String peerA = peerId(addressA);
      String apiA = a.awaitLine(l -> l.startsWith("api "), TIMEOUT).substring(4);
      try (MeshworkProcess c = node("--bootstrap", addressA)) {
        String addressC = c.awaitLine(l -> l.startsWith("listening "), TIMEOUT).substring(10);
        String peerC = peerId(addressC);
        awaitRoutingTable(apiA, t -> t.containsKey(peerC), "A's table holds C");
        try (MeshworkProcess b = node("--bootstrap", addressA)) {
          String apiB = b.awaitLine(l -> l.startsWith("api "), TIMEOUT).substring(4);

          // B's bootstrap lookup asks A, which names C; C answers B, so B's table takes it.
          Map<String, List<String>> table =
              awaitRoutingTable(
                  apiB,
                  t -> t.containsKey(peerA) && t.containsKey(peerC),
                  "B's table holds A and C; B stderr: " + b.stderr());
          assertThat(table.get(peerA)).contains(withoutP2p(addressA));
          assertThat(table.get(peerC)).contains(withoutP2p(addressC));

          HttpResponse<String> found = get(apiB + "/v1/dht/peers/" + peerC);
          assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
          JsonNode peer = JSON.readTree(found.body());
          assertThat(peer.get("peerId").asText()).isEqualTo(peerC);
          assertThat(texts(peer.get("addresses"))).contains(withoutP2p(addressC));

          HttpResponse<String> unknown = get(apiB + "/v1/dht/peers/" + UNKNOWN_PEER);
          assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
          HttpResponse<String> garbage = get(apiB + "/v1/dht/peers/not-a-peer-id");
          assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        }
      }
    }
  }

  private static MeshworkProcess node(String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("node", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0"));
    args.addAll(List.of(extra));
    return MeshworkProcess.start(args.toArray(String[]::new));
  }

  private static String peerId(String address) {
    return address.substring(address.lastIndexOf('/') + 1);
  }

  private static String withoutP2p(String address) {
    return address.substring(0, address.lastIndexOf("/p2p/"));
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  /** Polls the routing table until {@code done} holds; fails with {@code what} at the deadline. */
  private Map<String, List<String>> awaitRoutingTable(
      String api, Predicate<Map<String, List<String>>> done, String what) throws Exception {
    long deadline = System.nanoTime() + DHT_TIMEOUT.toNanos();
    Map<String, List<String>> table = Map.of();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(api + "/v1/dht/routing-table");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      Map<String, List<String>> current = new HashMap<>();
      for (JsonNode peer : JSON.readTree(response.body())) {
        current.put(peer.get("peerId").asText(), texts(peer.get("addresses")));
      }
      table = current;
      if (done.test(table)) {
        return table;
      }
      // A short pause between polls (a wait for a condition, not a fixed sleep).
      LockSupport.parkNanos(200_000_000L);
    }
    assertThat(done.test(table)).as(what + "; last table: " + table).isTrue();
    return table;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
