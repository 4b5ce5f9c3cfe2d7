package io.meshwork.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two nodes as separate processes: a message published through one node's API reaches the other,
 * which prints it (--subscribe), streams it (SSE) and counts it (metrics).
 */
class GossipCommandLineIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MESH_TIMEOUT = Duration.ofSeconds(20);
  private static final String TOPIC = "/meshwork/test/chat";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aMessagePublishedOnOneNodeIsPrintedStreamedAndCountedOnTheOther() throws Exception {
    try (MeshworkProcess a =
        MeshworkProcess.start(
            "node",
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--api",
            "127.0.0.1:0",
            "--subscribe",
            TOPIC)) {
      String addressA = a.awaitLine(l -> l.startsWith("listening "), TIMEOUT).substring(10);
      String peerA = addressA.substring(addressA.lastIndexOf('/') + 1);
      String apiA = a.awaitLine(l -> l.startsWith("api "), TIMEOUT).substring(4);
      try (MeshworkProcess b =
          MeshworkProcess.start(
              "node",
              "--listen",
              "/ip4/127.0.0.1/tcp/0",
              "--api",
              "127.0.0.1:0",
              "--subscribe",
              TOPIC,
              "--bootstrap",
              addressA)) {
        String apiB = b.awaitLine(l -> l.startsWith("api "), TIMEOUT).substring(4);
        b.awaitLine(l -> l.equals("connected " + peerA), TIMEOUT);
        BlockingQueue<String> events = openEvents(apiB);

        byte[] message = "hello, meshwork".getBytes(StandardCharsets.UTF_8);
        String expected = "message " + TOPIC + " " + peerA + " " + message.length;
        // The mesh forms at a heartbeat: publish until B hears one, within a bound.
        Optional<String> printed = Optional.empty();
        long deadline = System.nanoTime() + MESH_TIMEOUT.toNanos();
        while (printed.isEmpty() && System.nanoTime() < deadline) {
          HttpResponse<String> published = publish(apiA, TOPIC, message);
          assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
          assertThat(JSON.readTree(published.body()).get("messageId").asText())
              .matches("[0-9a-f]+");
          printed = b.pollLine(l -> l.startsWith("message "), Duration.ofMillis(1500));
        }
        assertThat(printed)
            .as("B printed a message line; stderr: " + b.stderr())
            .hasValue(expected);

        String data = events.poll(10, TimeUnit.SECONDS);
        assertThat(data).as("an SSE event on B").isNotNull();
        JsonNode event = JSON.readTree(data.substring("data:".length()));
        assertThat(event.get("topic").asText()).isEqualTo(TOPIC);
        assertThat(event.get("from").asText()).isEqualTo(peerA);
        assertThat(event.get("size").asInt()).isEqualTo(message.length);
        assertThat(Base64.getDecoder().decode(event.get("data").asText())).isEqualTo(message);
        assertThat(event.get("messageId").asText()).matches("[0-9a-f]+");

        // Metrics are a snapshot taken at each heartbeat (1 s).
        String deliveredLine = "meshwork_gossip_delivered_total{topic=\"" + TOPIC + "\"} ";
        String metrics = awaitMetrics(apiB, m -> counter(m, deliveredLine) >= 1);
        assertThat(metrics)
            .contains("meshwork_connections 1")
            .contains("meshwork_gossip_mesh_peers{topic=\"" + TOPIC + "\"}")
            .contains("meshwork_gossip_queued_bytes{topic=\"" + TOPIC + "\"}");
        String metricsA =
            awaitMetrics(
                apiA,
                m -> counter(m, "meshwork_gossip_published_total{topic=\"" + TOPIC + "\"} ") >= 1);
        assertThat(metricsA).contains("# TYPE meshwork_gossip_delivered_total counter");
      }
    }
  }

  @Test
  void theApiRejectsAMissingTopicAndAnOversizedMessage() throws Exception {
    try (MeshworkProcess node =
        MeshworkProcess.start("node", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0")) {
      String api = node.awaitLine(l -> l.startsWith("api "), TIMEOUT).substring(4);
      HttpResponse<String> noTopic =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/v1/pubsub/publish"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(noTopic.statusCode()).isEqualTo(400);
      HttpResponse<String> noEventsTopic =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/v1/pubsub/events")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(noEventsTopic.statusCode()).isEqualTo(400);
      HttpResponse<String> tooLarge = publish(api, TOPIC, new byte[1 << 20]);
      assertThat(tooLarge.statusCode()).isEqualTo(413);
    }
  }

  private HttpResponse<String> publish(String api, String topic, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    api
                        + "/v1/pubsub/publish?topic="
                        + URLEncoder.encode(topic, StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Opens an event stream; its {@code data:} lines arrive in the returned queue. */
  private BlockingQueue<String> openEvents(String api) throws Exception {
    BlockingQueue<String> data = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> response =
        http.sendAsync(
                HttpRequest.newBuilder(
                        URI.create(
                            api
                                + "/v1/pubsub/events?topic="
                                + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    CompletableFuture.runAsync(
        () -> response.body().filter(l -> l.startsWith("data:")).forEach(data::add));
    return data;
  }

  private String awaitMetrics(String api, java.util.function.Predicate<String> test)
      throws Exception {
    long deadline = System.nanoTime() + MESH_TIMEOUT.toNanos();
    String metrics = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      metrics = response.body();
      if (test.test(metrics)) {
        return metrics;
      }
      TimeUnit.MILLISECONDS.sleep(200); // the next heartbeat refreshes the snapshot
    }
    throw new AssertionError("metrics never matched; last:\n" + metrics);
  }

  private static long counter(String metrics, String linePrefix) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(linePrefix))
        .mapToLong(l -> Long.parseLong(l.substring(linePrefix.length()).strip()))
        .findFirst()
        .orElse(-1);
  }
}
