package io.meshwork.node.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshwork.chain.Chain;
import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.kad.KadDht;
import io.meshwork.networking.kad.KadPeer;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.peers.PeerManager;
import io.meshwork.networking.pubsub.GossipService;
import io.meshwork.networking.pubsub.MessageId;
import io.meshwork.networking.pubsub.ReceivedMessage;
import io.meshwork.networking.pubsub.TopicMetrics;
import io.meshwork.sync.ChainSync;
import io.meshwork.sync.mining.MiningLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the node's HTTP API. Requests run on a pool of {@link #THREADS} threads with a queue of
 * {@link #QUEUE} requests; beyond that the server's dispatcher thread runs the request itself and
 * accepts no more until it is done: backpressure on clients instead of a queue without bound.
 *
 * <p>The {@code /v1/chain/...} endpoints are {@link ChainApi}'s. Event streams ({@code
 * /v1/pubsub/events}, {@code /v1/chain/events}; see {@link EventStreams}) each hold a thread of
 * their own, at most {@link #MAX_EVENT_CLIENTS} at once (more get 503). The gossip delivery thread
 * only offers a message to each client's queue of {@link #EVENT_QUEUE} messages; when it is full
 * the message is dropped for that client and counted ({@code meshwork_api_events_dropped_total}),
 * so a slow client never blocks gossip. Message ids are reported in lowercase hex.
 *
 * <p>{@code /v1/dht/peers/{peerId}} answers from the routing table or the peer store when it can;
 * otherwise it runs a DHT lookup for at most {@link #FIND_PEER_TIMEOUT_SECONDS} seconds, at most
 * {@link #MAX_FIND_PEER} at once (more get 503), so lookups cannot take every API thread.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  static final int THREADS = 4;
  static final int QUEUE = 64;
  static final int MAX_EVENT_CLIENTS = 16;
  static final int EVENT_QUEUE = 1024;
  static final int MAX_FIND_PEER = 2;
  static final long FIND_PEER_TIMEOUT_SECONDS = 10;
  private static final String DHT_PEERS = "/v1/dht/peers/";

  /** An idle event stream gets a comment this often, which also finds clients that went away. */
  private static final long KEEPALIVE_SECONDS = 15;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final EventStreams events =
      new EventStreams(MAX_EVENT_CLIENTS, EVENT_QUEUE, KEEPALIVE_SECONDS);
  private final Semaphore findPeerSlots = new Semaphore(MAX_FIND_PEER);
  private final Host host;
  private final GossipService gossip;
  private final KadDht dht;
  private volatile Optional<PeerManager> peers = Optional.empty();
  private final int maxMessageSize;
  private final String agentVersion;
  private final ChainApi chainApi;

  private ApiServer(
      HttpServer server,
      ThreadPoolExecutor executor,
      Host host,
      GossipService gossip,
      KadDht dht,
      int maxMessageSize,
      String agentVersion,
      ChainApi chainApi) {
    this.server = server;
    this.executor = executor;
    this.host = host;
    this.gossip = gossip;
    this.dht = dht;
    this.maxMessageSize = maxMessageSize;
    this.agentVersion = agentVersion;
    this.chainApi = chainApi;
  }

  /**
   * Binds {@code address} (port 0 picks a free port) and starts serving.
   *
   * @param maxMessageSize largest body {@code /v1/pubsub/publish} accepts (the gossip limit)
   * @param chain the chain {@code /v1/chain/...} serves; the API subscribes to it once
   * @param networkId the chain's network, as {@code /v1/chain/head} reports it
   * @param miner the mining loop whose counters {@code /metrics} shows, if the node mines
   */
  public static ApiServer start(
      InetSocketAddress address,
      Host host,
      GossipService gossip,
      KadDht dht,
      int maxMessageSize,
      String agentVersion,
      Chain chain,
      ChainSync sync,
      Optional<MiningLoop> miner)
      throws IOException {
    HttpServer server = HttpServer.create(address, 64);
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "api");
              t.setDaemon(true);
              return t;
            },
            (r, pool) ->
                LOG.warn("API busy: {} requests queued; closing a request unanswered", QUEUE));
    ApiServer api =
        new ApiServer(
            server,
            executor,
            host,
            gossip,
            dht,
            maxMessageSize,
            agentVersion,
            new ChainApi(chain, sync, miner));
    server.createContext("/", api::handle);
    server.setExecutor(executor);
    server.start();
    return api;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/v1/pubsub/events")) {
      events(exchange); // owns the exchange from here
      return;
    }
    if (path.equals(ChainApi.EVENTS)) {
      chainApi.events(exchange, events); // owns the exchange from here
      return;
    }
    try (exchange) {
      String method = exchange.getRequestMethod();
      Object body;
      if (path.startsWith(ChainApi.PREFIX)) {
        chainApi.handle(exchange, method, path);
        return;
      }
      if (path.startsWith(DHT_PEERS)) {
        if (requireGet(exchange, method)) {
          findPeer(exchange, path.substring(DHT_PEERS.length()));
        }
        return;
      }
      switch (path) {
        case "/v1/pubsub/publish" -> {
          publish(exchange, method);
          return;
        }
        case "/metrics" -> {
          if (!requireGet(exchange, method)) {
            return;
          }
          sendText(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics());
          return;
        }
        case "/v1/node/identity" -> {
          if (!requireGet(exchange, method)) {
            return;
          }
          body = identity();
        }
        case "/v1/dht/routing-table" -> {
          if (!requireGet(exchange, method)) {
            return;
          }
          body = routingTable();
        }
        case "/v1/node/peers" -> {
          if (!requireGet(exchange, method)) {
            return;
          }
          body = peers();
        }
        default -> {
          send(exchange, 404, Map.of("error", "no such endpoint: " + path));
          return;
        }
      }
      send(exchange, 200, body);
    } catch (RuntimeException e) {
      LOG.warn("API request {} failed", exchange.getRequestURI(), e);
      send(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  private Map<String, Object> identity() {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("peerId", host.peerId().toBase58());
    identity.put(
        "addresses",
        host.listenAddresses().stream()
            .map(a -> a.withP2p(host.peerId().toBytes()).toString())
            .toList());
    identity.put("protocols", new TreeSet<>(host.protocols()));
    identity.put("agentVersion", agentVersion);
    return identity;
  }

  private List<Map<String, Object>> peers() {
    List<Map<String, Object>> peers = new ArrayList<>();
    for (Connection connection : host.connections()) {
      Map<String, Object> peer = new LinkedHashMap<>();
      peer.put("peerId", connection.remotePeerId().toBase58());
      Multiaddr address = connection.remoteAddress();
      peer.put("address", address.toString());
      peer.put("direction", connection.direction().wireName());
      peer.put("protocols", host.peerStore().protocols(connection.remotePeerId()));
      peers.add(peer);
    }
    return peers;
  }

  private List<Map<String, Object>> routingTable() {
    List<KadPeer> peers;
    try {
      peers = dht.routingTable().get(FIND_PEER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("routing table unavailable: " + e, e);
    }
    return peers.stream().map(ApiServer::dhtPeer).toList();
  }

  static Map<String, Object> dhtPeer(KadPeer peer) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("peerId", peer.id().toBase58());
    json.put("addresses", peer.addresses().stream().map(Multiaddr::toString).toList());
    return json;
  }

  private void findPeer(HttpExchange exchange, String text) throws IOException {
    PeerId peer;
    try {
      peer = PeerId.parse(URLDecoder.decode(text, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) { // PeerIdFormatException, or bad %-escapes
      send(exchange, 400, Map.of("error", "malformed peer id: " + e.getMessage()));
      return;
    }
    // The peer store first: a connected or looked-up peer needs no lookup. (findPeer itself
    // answers from the routing table without one.)
    List<Multiaddr> known = host.peerStore().addresses(peer);
    if (!known.isEmpty()) {
      send(exchange, 200, dhtPeer(new KadPeer(peer, known)));
      return;
    }
    if (!findPeerSlots.tryAcquire()) {
      send(exchange, 503, Map.of("error", MAX_FIND_PEER + " peer lookups already running"));
      return;
    }
    Optional<KadPeer> found;
    try {
      found = dht.findPeer(peer).get(FIND_PEER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      send(exchange, 503, Map.of("error", "lookup failed: " + cause.getMessage()));
      return;
    } catch (TimeoutException e) {
      send(
          exchange,
          504,
          Map.of("error", "lookup took longer than " + FIND_PEER_TIMEOUT_SECONDS + " s"));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 503, Map.of("error", "interrupted"));
      return;
    } finally {
      findPeerSlots.release();
    }
    if (found.isEmpty()) {
      send(exchange, 404, Map.of("error", "peer " + peer.toBase58() + " not found"));
      return;
    }
    send(exchange, 200, dhtPeer(found.get()));
  }

  private void publish(HttpExchange exchange, String method) throws IOException {
    if (!method.equals("POST")) {
      exchange.getResponseHeaders().add("Allow", "POST");
      send(exchange, 405, Map.of("error", method + " not allowed here"));
      return;
    }
    Optional<String> topic = topic(exchange);
    if (topic.isEmpty()) {
      send(exchange, 400, Map.of("error", "missing query parameter topic"));
      return;
    }
    byte[] data;
    try (InputStream in = exchange.getRequestBody()) {
      // One byte more than allowed tells a too-large body apart without reading all of it.
      data = in.readNBytes(maxMessageSize + 1);
    }
    if (data.length > maxMessageSize) {
      send(exchange, 413, Map.of("error", "message larger than " + maxMessageSize + " bytes"));
      return;
    }
    MessageId id;
    try {
      id = gossip.publish(topic.get(), data).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      int status = cause instanceof IllegalArgumentException ? 400 : 500;
      send(exchange, status, Map.of("error", String.valueOf(cause.getMessage())));
      return;
    } catch (TimeoutException e) {
      send(exchange, 503, Map.of("error", "gossip did not take the message in time"));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 503, Map.of("error", "interrupted"));
      return;
    }
    send(exchange, 200, Map.of("messageId", id.toHex()));
  }

  private void events(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    Optional<String> topic = topic(exchange);
    if (!method.equals("GET")) {
      try (exchange) {
        requireGet(exchange, method);
      }
      return;
    }
    if (topic.isEmpty()) {
      try (exchange) {
        send(exchange, 400, Map.of("error", "missing query parameter topic"));
      }
      return;
    }
    String name = topic.get();
    events.open(
        exchange,
        "subscribed " + name,
        (java.util.function.Consumer<ReceivedMessage> sink) -> {
          // Subscribing also joins the topic, as the contract says.
          Subscription subscription = gossip.subscribe(name, sink);
          return subscription::close;
        },
        ApiServer::event);
  }

  static Map<String, Object> event(ReceivedMessage m) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("topic", m.topic());
    event.put("from", m.author().orElse(m.propagationSource()).toBase58());
    event.put("size", m.data().length);
    event.put("data", Base64.getEncoder().encodeToString(m.data()));
    event.put("messageId", m.id().toHex());
    return event;
  }

  /** Adds the peer manager's figures to {@code /metrics} (it starts after the API). */
  public void attach(PeerManager manager) {
    peers = Optional.of(manager);
  }

  private String metrics() {
    StringBuilder text = new StringBuilder();
    text.append("# HELP meshwork_connections Open connections of the host.\n")
        .append("# TYPE meshwork_connections gauge\n")
        .append("meshwork_connections ")
        .append(host.connections().size())
        .append('\n');
    Map<String, TopicMetrics> topics = new TreeMap<>(gossip.metrics());
    topicMetric(
        text, topics, "delivered_total", "counter", "Messages delivered.", t -> t.delivered());
    topicMetric(
        text, topics, "duplicates_total", "counter", "Duplicate messages.", t -> t.duplicates());
    topicMetric(text, topics, "invalid_total", "counter", "Messages rejected.", t -> t.invalid());
    topicMetric(text, topics, "ignored_total", "counter", "Messages ignored.", t -> t.ignored());
    topicMetric(
        text, topics, "published_total", "counter", "Messages we published.", t -> t.published());
    topicMetric(text, topics, "mesh_peers", "gauge", "Peers in our mesh.", t -> t.meshSize());
    topicMetric(
        text,
        topics,
        "queued_bytes",
        "gauge",
        "Bytes of the topic's messages in peer queues.",
        t -> t.queuedBytes());
    text.append("# HELP meshwork_gossip_dropped_deliveries_total Messages a slow handler lost.\n")
        .append("# TYPE meshwork_gossip_dropped_deliveries_total counter\n")
        .append("meshwork_gossip_dropped_deliveries_total ")
        .append(gossip.droppedDeliveries())
        .append('\n');
    peers.ifPresent(p -> peerMetrics(text, p.metrics()));
    text.append("# HELP meshwork_api_events_dropped_total Messages a slow event client lost.\n")
        .append("# TYPE meshwork_api_events_dropped_total counter\n")
        .append("meshwork_api_events_dropped_total ")
        .append(events.dropped())
        .append('\n');
    chainApi.metrics(text);
    return text.toString();
  }

  private static void peerMetrics(StringBuilder text, PeerManager.Metrics m) {
    metric(text, "meshwork_addrbook_new", "gauge", "Address book: new table.", m.newAddresses());
    metric(
        text, "meshwork_addrbook_tried", "gauge", "Address book: tried table.", m.triedAddresses());
    metric(text, "meshwork_peers_outbound", "gauge", "Outbound connections.", m.outbound());
    metric(text, "meshwork_peers_inbound", "gauge", "Inbound connections.", m.inbound());
    metric(text, "meshwork_peers_banned", "gauge", "Peers banned now.", m.banned());
    metric(text, "meshwork_peers_backing_off", "gauge", "Peers in dial backoff.", m.backingOff());
    metric(
        text, "meshwork_dials_failed_total", "counter", "Failed outbound dials.", m.dialsFailed());
    metric(text, "meshwork_feelers_total", "counter", "Feeler connections.", m.feelers());
    metric(text, "meshwork_rotations_total", "counter", "Outbound peers rotated.", m.rotations());
    metric(
        text,
        "meshwork_peer_reports_dropped_total",
        "counter",
        "Peer reports (discoveries, identify, misbehaviour) dropped by a full queue.",
        m.reportsDropped());
  }

  static void metric(StringBuilder text, String name, String type, String help, long v) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    text.append(name).append(' ').append(v).append('\n');
  }

  private static void topicMetric(
      StringBuilder text,
      Map<String, TopicMetrics> topics,
      String name,
      String type,
      String help,
      java.util.function.ToLongFunction<TopicMetrics> value) {
    String metric = "meshwork_gossip_" + name;
    text.append("# HELP ").append(metric).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(metric).append(' ').append(type).append('\n');
    topics.forEach(
        (topic, m) ->
            text.append(metric)
                .append("{topic=\"")
                .append(labelValue(topic))
                .append("\"} ")
                .append(value.applyAsLong(m))
                .append('\n'));
  }

  /** Escapes a label value as the Prometheus text format requires. */
  static String labelValue(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** The {@code topic} query parameter, URL-decoded, if present and not empty. */
  static Optional<String> topic(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals("topic")) {
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
      }
    }
    return Optional.empty();
  }

  static boolean requireGet(HttpExchange exchange, String method) throws IOException {
    if (!method.equals("GET")) {
      exchange.getResponseHeaders().add("Allow", "GET");
      send(exchange, 405, Map.of("error", method + " not allowed here"));
      return false;
    }
    return true;
  }

  private static void sendText(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    events.close(); // interrupts each event stream, which then closes
    chainApi.close();
  }
}
