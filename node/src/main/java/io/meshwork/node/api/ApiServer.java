package io.meshwork.node.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.multiformats.Multiaddr;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the node's HTTP API. Requests run on a pool of {@link #THREADS} threads with a queue of
 * {@link #QUEUE} requests; beyond that the server answers 503 rather than queueing without bound.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  static final int THREADS = 4;
  static final int QUEUE = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final Host host;
  private final String agentVersion;

  private ApiServer(
      HttpServer server, ThreadPoolExecutor executor, Host host, String agentVersion) {
    this.server = server;
    this.executor = executor;
    this.host = host;
    this.agentVersion = agentVersion;
  }

  /** Binds {@code address} (port 0 picks a free port) and starts serving. */
  public static ApiServer start(InetSocketAddress address, Host host, String agentVersion)
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
            (r, pool) -> {
              throw new java.util.concurrent.RejectedExecutionException("API busy");
            });
    ApiServer api = new ApiServer(server, executor, host, agentVersion);
    server.createContext("/", api::handle);
    server.setExecutor(executor);
    server.start();
    return api;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Object body;
      switch (path) {
        case "/v1/node/identity" -> {
          if (!requireGet(exchange, method)) {
            return;
          }
          body = identity();
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

  private static boolean requireGet(HttpExchange exchange, String method) throws IOException {
    if (!method.equals("GET")) {
      exchange.getResponseHeaders().add("Allow", "GET");
      send(exchange, 405, Map.of("error", method + " not allowed here"));
      return false;
    }
    return true;
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
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
  }
}
