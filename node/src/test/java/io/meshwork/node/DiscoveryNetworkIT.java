package io.meshwork.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.kad.KadPeer;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.testsupport.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fifty nodes in one JVM over 127.0.0.1, each told only of one bootstrap node, find each other. */
class DiscoveryNetworkIT {
  private static final int NODES = 50;
  private static final int MIN_TABLE = 10;
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");

  private final List<Node> nodes = new ArrayList<>();

  /** In parallel: each node's graceful close may wait its grace period for open streams. */
  @AfterEach
  void stopNodes() throws InterruptedException {
    List<Thread> closing = new ArrayList<>();
    for (Node node : nodes) {
      Thread thread = new Thread(node::close, "close-" + node.host().peerId());
      thread.start();
      closing.add(thread);
    }
    for (Thread thread : closing) {
      thread.join();
    }
  }

  @Test
  void everyNodeStartedFromOneBootstrapNodeFindsEveryOtherNodeById() throws Exception {
    Node bootstrap = start(List.of());
    Multiaddr bootstrapAddress = bootstrap.listenAddresses().get(0);
    for (int i = 1; i < NODES; i++) {
      start(List.of(bootstrapAddress));
    }

    // Joining is asynchronous (dials with backoff, then the DHT's self lookup): wait until every
    // node's routing table holds a good part of the network.
    Eventually.holds(
        Duration.ofMinutes(2),
        () -> {
          for (Node node : nodes) {
            assertThat(node.dht().routingTable().join())
                .as("routing table of " + node.host().peerId())
                .hasSizeGreaterThanOrEqualTo(MIN_TABLE);
          }
        });

    // Each node looks up every other node by id, in random order; at most 16 lookups at once.
    List<Node[]> pairs = new ArrayList<>();
    for (Node from : nodes) {
      for (Node to : nodes) {
        if (from != to) {
          pairs.add(new Node[] {from, to});
        }
      }
    }
    Collections.shuffle(pairs, new Random(1));
    Semaphore inFlight = new Semaphore(16);
    ConcurrentLinkedQueue<String> missing = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<?>> lookups = new ArrayList<>();
    for (Node[] pair : pairs) {
      Node from = pair[0];
      Node to = pair[1];
      inFlight.acquire();
      long started = System.nanoTime();
      lookups.add(
          findWithRetry(from, to.host().peerId(), 3)
              .whenComplete((f, e) -> millis.add((System.nanoTime() - started) / 1_000_000))
              .whenComplete(
                  (found, e) -> {
                    inFlight.release();
                    if (e != null || !found.addresses().contains(addressOf(to))) {
                      missing.add(
                          from.host().peerId()
                              + " -> "
                              + to.host().peerId()
                              + ": "
                              + (e != null ? e : found));
                    }
                  }));
    }
    CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .get(5, TimeUnit.MINUTES);

    long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "%d lookups: p50 %d ms, p95 %d ms, max %d ms%n",
        sorted.length,
        sorted[sorted.length / 2],
        sorted[sorted.length * 95 / 100],
        sorted[sorted.length - 1]);
    assertThat(missing).as("lookups that did not find their target").isEmpty();
  }

  /**
   * A node that joined early may look up a later node before any refresh told it of the newcomer's
   * region; a lookup that misses is tried again, as a user would, at most {@code attempts} times.
   * Fails with the last error, or with "not found".
   */
  private static CompletableFuture<KadPeer> findWithRetry(Node from, PeerId target, int attempts) {
    return from.dht()
        .findPeer(target)
        .handle(
            (found, e) -> {
              if (e == null && found.isPresent()) {
                return CompletableFuture.completedFuture(found.get());
              }
              if (attempts > 1) {
                return CompletableFuture.supplyAsync(
                        () -> null, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                    .thenCompose(v -> findWithRetry(from, target, attempts - 1));
              }
              return CompletableFuture.<KadPeer>failedFuture(
                  e != null ? e : new IllegalStateException("not found"));
            })
        .thenCompose(f -> f);
  }

  private static Multiaddr addressOf(Node node) {
    return node.listenAddresses().get(0).withoutP2p();
  }

  private Node start(List<Multiaddr> bootstrap) {
    Node node =
        new NodeBuilder(
                new NodeConfig(List.of(LOOPBACK), bootstrap, Optional.empty(), Optional.empty()))
            .start();
    nodes.add(node);
    return node;
  }
}
