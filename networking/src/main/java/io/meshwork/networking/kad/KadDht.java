package io.meshwork.networking.kad;

import com.google.protobuf.ByteString;
import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.kad.pb.KadProto;
import io.meshwork.networking.multiformats.Multiaddr;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kademlia DHT on a {@link Host} ({@code /ipfs/kad/1.0.0}, libp2p/specs kad-dht): drives the
 * sans-IO {@link RoutingTable}, {@link LookupQuery}s and stores over real streams.
 *
 * <p>Modes: in {@link Mode#SERVER} we serve the protocol (so identify lists it and others add us to
 * their tables); in {@link Mode#CLIENT} we only ask. Our table holds only peers whose identify
 * lists the protocol, or that answered one of our requests.
 *
 * <p>Threading: all DHT state lives on one "kad" thread; public methods may be called from any
 * thread and return futures that complete on it (callers must not block it in callbacks). Inbound
 * requests are bounded ({@link KadInbound}), and so are concurrent lookups ({@value
 * #MAX_CONCURRENT_LOOKUPS}). {@link #close()} fails every future still outstanding.
 */
public final class KadDht implements AutoCloseable {
  public static final String PROTOCOL_ID = "/ipfs/kad/1.0.0";

  /** Whether we serve the DHT or only use it. */
  public enum Mode {
    SERVER,
    CLIENT
  }

  private static final long MAINTENANCE_PERIOD_SECONDS = 60;

  /** Lookups running at once (API calls, refreshes, republishing); more fail at once. */
  static final int MAX_CONCURRENT_LOOKUPS = 64;

  private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);

  private final Host host;
  private final KadConfig config;
  private final Mode mode;
  private final LongSupplier nanoClock;
  private final Clock wallClock;
  private final ScheduledExecutorService executor;
  private final RoutingTable table;
  private final RecordStore records;
  private final ProviderStore providers;
  private final ProvidedKeys provided;
  private final KadServer server;
  private final KadRpc rpc;
  private final Random random = new SecureRandom();
  private final KadInbound inbound;
  private final java.util.Set<CompletableFuture<?>> pending =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private int runningLookups;
  private Subscription subscription;
  private long lastSelfLookupNanos;

  public KadDht(
      Host host,
      KadConfig config,
      Mode mode,
      RecordValidator validator,
      LongSupplier nanoClock,
      Clock wallClock) {
    this.host = host;
    this.config = config;
    this.mode = mode;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "kad-" + host.peerId().toBase58().substring(0, 12));
              thread.setDaemon(true);
              return thread;
            });
    long now = nanoClock.getAsLong();
    this.table = new RoutingTable(host.peerId(), config, now);
    this.records = new RecordStore(validator, config);
    this.providers = new ProviderStore(config);
    this.provided = new ProvidedKeys(config);
    this.server =
        new KadServer(table, records, providers, host::listenAddresses, config, wallClock);
    this.rpc = new KadRpc(host, config);
    this.inbound = new KadInbound(server, config, executor, nanoClock);
    this.lastSelfLookupNanos = now;
  }

  /** A DHT with the standard record validators and the system clocks. */
  public static KadDht create(Host host, KadConfig config, Mode mode) {
    return new KadDht(
        host, config, mode, NamespacedValidator.standard(), System::nanoTime, Clock.systemUTC());
  }

  /** Serves the protocol (server mode), listens to identify, and starts periodic maintenance. */
  public KadDht start() {
    if (mode == Mode.SERVER) {
      host.setStreamHandler(PROTOCOL_ID, inbound::serve);
    }
    subscription = host.subscribe(this::onNetworkEvent);
    executor.scheduleWithFixedDelay(
        this::maintain, MAINTENANCE_PERIOD_SECONDS, MAINTENANCE_PERIOD_SECONDS, TimeUnit.SECONDS);
    return this;
  }

  public Mode mode() {
    return mode;
  }

  /** Looks up our own id (kad-dht spec, "Bootstrap process"); completes with the closest peers. */
  public CompletableFuture<List<KadPeer>> bootstrap() {
    byte[] self = host.peerId().toBytes();
    return onKadThread(
            () -> {
              lastSelfLookupNanos = now();
              return lookup(
                  () -> LookupQuery.findNode(self, host.peerId(), seeds(self), config, now()));
            })
        .thenApply(LookupResult::closestPeers);
  }

  /** The addresses of {@code peer}: from our table if it is there, else by a lookup. */
  public CompletableFuture<Optional<KadPeer>> findPeer(PeerId peer) {
    return onKadThread(
        () -> {
          Optional<KadPeer> known = table.find(peer);
          if (known.isPresent()) {
            return CompletableFuture.completedFuture(known);
          }
          return lookup(
                  () ->
                      LookupQuery.findPeer(
                          peer, host.peerId(), seeds(peer.toBytes()), config, now()))
              .thenApply(
                  result -> {
                    // remembered so that host.connect(peer) can dial it (kad-dht spec: "Any time
                    // a relevant Peer record is encountered, the associated multiaddrs are stored")
                    result
                        .foundPeer()
                        .ifPresent(p -> host.peerStore().addAddresses(p.id(), p.addresses()));
                    return result.foundPeer();
                  });
        });
  }

  /**
   * An iterative lookup of {@code peer} from the closest peers in our table, even if the table
   * holds it; completes with how the lookup went (rounds, requests, found peer). For benchmarks and
   * diagnostics; {@link #findPeer} is the everyday call.
   */
  public CompletableFuture<LookupResult> lookupPeer(PeerId peer) {
    return onKadThread(
        () ->
            lookup(
                () ->
                    LookupQuery.findPeer(
                        peer, host.peerId(), seeds(peer.toBytes()), config, now())));
  }

  /** The k closest server peers to {@code key}, by an iterative FIND_NODE. */
  public CompletableFuture<List<KadPeer>> getClosestPeers(byte[] key) {
    byte[] copy = key.clone();
    return onKadThread(
            () ->
                lookup(() -> LookupQuery.findNode(copy, host.peerId(), seeds(copy), config, now())))
        .thenApply(LookupResult::closestPeers);
  }

  /**
   * Validates and stores the record locally, then PUT_VALUEs it to the k closest peers. Completes
   * with how many accepted it; fails with {@link InvalidRecordException} if it is invalid.
   */
  public CompletableFuture<Integer> putValue(byte[] key, byte[] value) {
    byte[] k = key.clone();
    byte[] v = value.clone();
    return onKadThread(
            () -> {
              records.put(k, v, wallClock.instant(), now());
              return getClosestPeers(k);
            })
        .thenCompose(peers -> sendToAll(peers, putRequest(k, v), true));
  }

  /**
   * The best valid record for {@code key} (kad-dht spec, "Getting values"): the local one counts
   * towards the quorum; peers that returned worse values are corrected with PUT_VALUE.
   */
  public CompletableFuture<Optional<byte[]>> getValue(byte[] key) {
    byte[] k = key.clone();
    return onKadThread(
        () -> {
          Optional<byte[]> local = records.get(k, now()).map(RecordStore.StoredRecord::value);
          if (local.isPresent() && config.quorum() <= 1) {
            return CompletableFuture.completedFuture(local);
          }
          return lookup(
                  () ->
                      LookupQuery.getValue(
                          k, records.validator(), host.peerId(), seeds(k), config, now()))
              .thenApply(
                  result -> {
                    result
                        .value()
                        .ifPresent(best -> correct(result.outdatedPeers(), putRequest(k, best)));
                    return result.value().or(() -> local);
                  });
        });
  }

  /**
   * Announces that we provide {@code key}: records ourselves locally and sends ADD_PROVIDER to the
   * k closest peers; re-announced every {@link KadConfig#republishInterval()}. Completes with how
   * many peers were told. The key should be a multihash (a CID's hash, as IPFS uses): js-libp2p
   * peers decode provider keys as multihashes and ignore announcements of other keys.
   */
  public CompletableFuture<Integer> provide(byte[] key) {
    byte[] k = key.clone();
    return onKadThread(
            () -> {
              KadPeer self = self();
              providers.add(k, self, now());
              provided.published(k, now());
              return getClosestPeers(k);
            })
        .thenCompose(peers -> sendToAll(peers, addProviderRequest(k), false));
  }

  /** Up to {@code wanted} providers of {@code key}: ours first, then by a GET_PROVIDERS lookup. */
  public CompletableFuture<List<KadPeer>> findProviders(byte[] key, int wanted) {
    byte[] k = key.clone();
    return onKadThread(
        () -> {
          List<KadPeer> local = providers.providers(k, now());
          if (local.size() >= wanted) {
            return CompletableFuture.completedFuture(local.subList(0, wanted));
          }
          return lookup(
                  () -> LookupQuery.getProviders(k, wanted, host.peerId(), seeds(k), config, now()))
              .thenApply(
                  result -> {
                    Map<PeerId, KadPeer> all = new LinkedHashMap<>();
                    local.forEach(p -> all.put(p.id(), p));
                    result.providers().forEach(p -> all.putIfAbsent(p.id(), p));
                    return all.values().stream().limit(wanted).toList();
                  });
        });
  }

  /**
   * Offers a known DHT server (e.g. a configured bootstrap node) to the routing table without
   * connecting to it; completes with what the table did.
   */
  public CompletableFuture<RoutingTable.Insert> addPeer(KadPeer peer) {
    return onKadThread(() -> CompletableFuture.completedFuture(offer(peer)));
  }

  /** A snapshot of the routing table. */
  public CompletableFuture<List<KadPeer>> routingTable() {
    return onKadThread(() -> CompletableFuture.completedFuture(table.peers()));
  }

  @Override
  public void close() {
    if (mode == Mode.SERVER) {
      host.removeStreamHandler(PROTOCOL_ID);
    }
    if (subscription != null) {
      subscription.close();
    }
    executor.shutdownNow();
    // Nothing will complete what was still queued or running: fail it, so no caller waits forever.
    for (CompletableFuture<?> future : List.copyOf(pending)) {
      future.completeExceptionally(new IllegalStateException("the DHT was closed"));
    }
  }

  // ---- routing table upkeep

  private void onNetworkEvent(NetworkEvent event) {
    if (event instanceof NetworkEvent.PeerIdentified identified && !executor.isShutdown()) {
      boolean server = identified.protocols().contains(PROTOCOL_ID);
      KadPeer peer =
          new KadPeer(
              identified.peerId(),
              identified.listenAddresses().stream().map(Multiaddr::withoutP2p).toList());
      try {
        executor.execute(
            () -> {
              if (server) {
                offer(peer);
              } else if (table.remove(peer.id()).isPresent()) {
                LOG.debug("{} no longer serves the DHT", peer.id());
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // close() raced the check above: a closed DHT has no table to update
      }
    }
  }

  private RoutingTable.Insert offer(KadPeer peer) {
    RoutingTable.Insert insert = table.offer(peer);
    LOG.trace("offered {}: {}", peer.id(), insert.getClass().getSimpleName());
    if (insert instanceof RoutingTable.Insert.CheckLiveness check) {
      KadPeer oldest = check.leastRecentlySeen();
      // Liveness check: any answer to a FIND_NODE (our own id, a small reply) proves it alive.
      rpc.send(
              oldest.id(),
              KadCodec.request(LookupQuery.Kind.FIND_NODE, host.peerId().toBytes()),
              true)
          .whenComplete(
              (reply, error) ->
                  executor.execute(() -> table.livenessChecked(oldest.id(), error == null)));
    }
    return insert;
  }

  private void maintain() {
    try {
      long now = now();
      records.prune(now);
      providers.prune(now);
      if (now - lastSelfLookupNanos >= config.refreshInterval().toNanos()) {
        bootstrap().exceptionally(e -> log("self lookup", e));
      }
      for (int cpl : table.cplsDueForRefresh(now)) {
        byte[] id = table.randomPeerIdWithCpl(cpl, random);
        lookup(() -> LookupQuery.findNode(id, host.peerId(), seeds(id), config, now))
            .exceptionally(e -> log("bucket refresh", e));
      }
      for (byte[] key : provided.dueForRepublish(now)) {
        provide(key).exceptionally(e -> log("republish", e));
      }
    } catch (RuntimeException e) {
      LOG.warn("kad maintenance failed", e);
    }
  }

  // ---- lookups

  private final class Running {
    final LookupQuery query;
    final CompletableFuture<LookupResult> result = new CompletableFuture<>();
    ScheduledFuture<?> wakeUp;

    Running(LookupQuery query) {
      this.query = query;
    }
  }

  /** Runs a lookup to its end; must be called on the kad thread. */
  private CompletableFuture<LookupResult> lookup(Supplier<LookupQuery> factory) {
    if (runningLookups >= MAX_CONCURRENT_LOOKUPS) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              MAX_CONCURRENT_LOOKUPS + " lookups are running already; try again later"));
    }
    runningLookups++;
    Running running = new Running(factory.get());
    running.result.whenComplete((r, e) -> runningLookups--); // completes on the kad thread
    LOG.trace("{} lookup for {} starts", running.query.kind(), running.query.target());
    table.lookupStarted(running.query.target(), now());
    drive(running);
    return running.result;
  }

  private void drive(Running running) {
    LookupQuery query = running.query;
    LookupQuery.Step step = query.poll(now());
    step.timedOut().forEach(table::remove);
    step.distrusted().forEach(table::remove);
    for (LookupQuery.Request request : step.send()) {
      KadPeer peer = request.peer();
      host.peerStore().addAddresses(peer.id(), peer.addresses());
      rpc.send(peer.id(), KadCodec.request(query.kind(), query.key()), true)
          .whenComplete(
              (reply, error) -> executor.execute(() -> onReply(running, peer, reply, error)));
    }
    if (running.wakeUp != null) {
      running.wakeUp.cancel(false);
    }
    if (step.finished()) {
      LookupResult result = query.result().orElseThrow();
      LOG.debug(
          "{} lookup for {} ended {} after {} requests ({} failed), {} rounds, {} closest, value {}",
          result.kind(),
          query.target(),
          result.termination(),
          result.requestsSent(),
          result.failures(),
          result.rounds(),
          result.closestPeers().size(),
          result.value().isPresent());
      running.result.complete(result);
      return;
    }
    long delay = Math.max(0, query.nextDeadlineNanos().orElseThrow() - now());
    running.wakeUp = executor.schedule(() -> drive(running), delay, TimeUnit.NANOSECONDS);
  }

  private void onReply(
      Running running, KadPeer peer, Optional<KadProto.Message> reply, Throwable error) {
    LookupQuery query = running.query;
    if (error == null) {
      try {
        LookupResponse response =
            KadCodec.lookupResponse(reply.orElseThrow(), query.kind(), query.key(), config);
        LOG.trace(
            "reply to {} from {}: {} closer ({} wire), {} with addresses",
            query.target(),
            peer.id(),
            response.closerPeers().size(),
            reply.orElseThrow().getCloserPeersCount(),
            response.closerPeers().stream().filter(p -> !p.addresses().isEmpty()).count());
        query.onResponse(peer.id(), response, now());
        offer(peer); // it answered a DHT request: it is a server
        reportDiscovered(peer.id(), response.closerPeers());
      } catch (KadProtocolException e) {
        LOG.debug("bad kad reply from {}: {}", peer.id(), e.getMessage());
        host.publish(new NetworkEvent.PeerMisbehaved(peer.id(), PROTOCOL_ID, e.getMessage()));
        query.onFailure(peer.id(), now());
        table.remove(peer.id());
      }
    } else {
      LOG.debug("kad request to {} failed: {}", peer.id(), error.toString());
      // A request that failed or timed out is penalised even if its lookup already ended.
      query.onFailure(peer.id(), now());
      table.remove(peer.id());
    }
    if (!running.result.isDone()) {
      drive(running);
    }
  }

  /** Hands closer peers with addresses to the address book, through the host's events. */
  private void reportDiscovered(PeerId from, List<KadPeer> closer) {
    List<PeerAddresses> peers =
        closer.stream()
            .filter(p -> !p.addresses().isEmpty() && !p.id().equals(host.peerId()))
            .map(p -> new PeerAddresses(p.id(), p.addresses()))
            .toList();
    if (!peers.isEmpty()) {
      host.publish(new NetworkEvent.AddressesDiscovered(from, DiscoverySource.DHT, peers));
    }
  }

  private List<KadPeer> seeds(byte[] key) {
    return table.closest(KadKey.of(key), config.k());
  }

  // ---- one-shot requests to many peers

  private CompletableFuture<Integer> sendToAll(
      List<KadPeer> peers, KadProto.Message request, boolean expectReply) {
    AtomicInteger accepted = new AtomicInteger();
    List<CompletableFuture<?>> sends = new ArrayList<>();
    for (KadPeer peer : peers) {
      host.peerStore().addAddresses(peer.id(), peer.addresses());
      sends.add(
          rpc.send(peer.id(), request, expectReply)
              .thenAccept(r -> accepted.incrementAndGet())
              .exceptionally(e -> log("request to " + peer.id(), e)));
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApply(v -> accepted.get());
  }

  private void correct(List<PeerId> outdated, KadProto.Message put) {
    for (PeerId peer : outdated) {
      rpc.send(peer, put, true).exceptionally(e -> log("record correction", e));
    }
  }

  private KadProto.Message putRequest(byte[] key, byte[] value) {
    return KadProto.Message.newBuilder()
        .setType(KadProto.Message.MessageType.PUT_VALUE)
        .setKey(ByteString.copyFrom(key))
        .setRecord(
            KadProto.Record.newBuilder()
                .setKey(ByteString.copyFrom(key))
                .setValue(ByteString.copyFrom(value)))
        .build();
  }

  private KadProto.Message addProviderRequest(byte[] key) {
    return KadProto.Message.newBuilder()
        .setType(KadProto.Message.MessageType.ADD_PROVIDER)
        .setKey(ByteString.copyFrom(key))
        .addProviderPeers(KadCodec.toWire(self(), config.maxAddressesPerPeer()))
        .build();
  }

  private KadPeer self() {
    return new KadPeer(host.peerId(), host.listenAddresses());
  }

  // ---- plumbing

  /**
   * A task that failed because close() raced it reports the closing, not the executor's refusal.
   */
  private Throwable closedOr(Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    return cause instanceof java.util.concurrent.RejectedExecutionException && executor.isShutdown()
        ? new IllegalStateException("the DHT was closed", cause)
        : error;
  }

  private <T> CompletableFuture<T> onKadThread(Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    pending.add(result);
    result.whenComplete((value, error) -> pending.remove(result));
    try {
      executor.execute(
          () -> {
            try {
              task.get()
                  .whenComplete(
                      (value, error) -> {
                        if (error != null) {
                          result.completeExceptionally(closedOr(error));
                        } else {
                          result.complete(value);
                        }
                      });
            } catch (RuntimeException e) {
              result.completeExceptionally(closedOr(e));
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(new IllegalStateException("the DHT is closed", e));
    }
    return result;
  }

  private long now() {
    return nanoClock.getAsLong();
  }

  private static <T> T log(String what, Throwable error) {
    LOG.debug("kad {} failed: {}", what, error.toString());
    return null;
  }
}
