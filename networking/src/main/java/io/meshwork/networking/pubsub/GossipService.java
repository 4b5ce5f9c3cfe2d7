package io.meshwork.networking.pubsub;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.protocol.DelimitedReader;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gossipsub on a {@link Host}: serves {@code /meshsub/1.2.0}, {@code /1.1.0} and {@code /1.0.0},
 * opens one outbound stream per peer for writing and reads only the peer's inbound stream
 * (wire-notes "Gossipsub"), and drives a {@link GossipRouter} on a single router thread, which also
 * runs the heartbeat.
 *
 * <p>A peer may briefly have two connections (both sides dialed at once; the host closes one, see
 * {@code ConnectionTable}). A peer leaves gossip only when no connection to it remains: if the
 * connection carrying our outbound stream closes while another is open, a new outbound stream is
 * opened on that one, the queued RPCs wait for it and the router keeps the peer's mesh and
 * subscriptions. The peer does the same, and its new stream to us is read like the first.
 *
 * <p>Thread-safe: public methods may be called from any thread. Subscriber handlers run on one
 * delivery thread, in order; a handler that falls more than {@code DELIVERY_QUEUE} messages behind
 * loses messages (counted in {@link #droppedDeliveries()}). Every queue is bounded: per-peer
 * outbound queues in bytes (gossip dropped first, then the peer disconnected), inbound RPCs per
 * peer in flight (reading pauses), and deliveries.
 */
public final class GossipService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GossipService.class);
  static final int DELIVERY_QUEUE = 16_384;

  /** Inbound RPCs of one peer waiting for the router thread before its stream stops being read. */
  static final int INBOUND_IN_FLIGHT = 64;

  private final Host host;
  private final GossipConfig config;
  private final long maxQueuedBytesPerPeer;
  private final ScheduledExecutorService routerThread;
  private final ThreadPoolExecutor deliveryThread;
  private final GossipRouter router;
  private final RpcCodec codec;
  private final Map<String, List<Consumer<ReceivedMessage>>> handlers = new ConcurrentHashMap<>();
  // Router thread only:
  private final Map<PeerId, PeerQueue> queues = new HashMap<>();
  // The connection an outbound stream is being opened on, per peer (at most one entry per peer).
  private final Map<PeerId, Connection> opening = new HashMap<>();
  private final Map<String, Long> queuedByTopic = new HashMap<>();
  private volatile Map<String, TopicMetrics> metrics = Map.of();
  private final AtomicLong droppedDeliveries = new AtomicLong();
  private final AtomicLong slowPeerDisconnects = new AtomicLong();
  private final AtomicLong rpcBytesWritten = new AtomicLong();
  private Subscription events;
  private volatile boolean closed;

  /**
   * @param host the host; its identity must be {@code identity}
   * @param identity our key, which signs our messages under StrictSign
   * @param config router parameters
   * @param maxQueuedBytesPerPeer bound of each peer's outbound queue
   * @param peerRecords signed peer records to offer in PRUNE peer exchange
   */
  public GossipService(
      Host host,
      PrivateKey identity,
      GossipConfig config,
      long maxQueuedBytesPerPeer,
      Function<PeerId, Optional<byte[]>> peerRecords) {
    if (!PeerId.fromPublicKey(identity.publicKey()).equals(host.peerId())) {
      throw new IllegalArgumentException("identity does not match the host's peer id");
    }
    this.host = host;
    this.config = config;
    this.maxQueuedBytesPerPeer = maxQueuedBytesPerPeer;
    this.codec = new RpcCodec(config.maxRpcSize());
    this.routerThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t =
                  new Thread(r, "gossip-router-" + host.peerId().toBase58().substring(0, 12));
              t.setDaemon(true);
              return t;
            });
    this.deliveryThread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(DELIVERY_QUEUE),
            r -> {
              Thread t = new Thread(r, "gossip-delivery");
              t.setDaemon(true);
              return t;
            },
            (task, executor) -> droppedDeliveries.incrementAndGet());
    this.router =
        new GossipRouter(
            config, identity, System::nanoTime, new SecureRandom(), new Output(), peerRecords);
  }

  /** A service with default parameters and 8 MiB per peer queue. */
  public GossipService(Host host, PrivateKey identity) {
    this(host, identity, GossipConfig.builder().build(), 8L << 20, p -> Optional.empty());
  }

  /** Installs the stream handlers, follows connection events and starts the heartbeat. */
  public void start() {
    for (GossipProtocol p : GossipProtocol.values()) {
      host.setStreamHandler(p.id(), stream -> onInboundStream(stream, p));
    }
    events = host.subscribe(this::onEvent);
    for (Connection c : host.connections()) {
      onRouter(() -> openOutbound(c));
    }
    long period = config.heartbeatInterval().toNanos();
    routerThread.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.NANOSECONDS);
  }

  // ---- public API ----------------------------------------------------------------------------

  /**
   * Subscribes {@code handler} to a topic (joining it on the first handler). Closing the returned
   * subscription removes the handler, and leaves the topic with the last one.
   */
  public Subscription subscribe(String topic, Consumer<ReceivedMessage> handler) {
    handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    onRouter(() -> router.subscribe(topic));
    return () ->
        onRouter(
            () -> {
              List<Consumer<ReceivedMessage>> list = handlers.get(topic);
              if (list != null && list.remove(handler) && list.isEmpty()) {
                handlers.remove(topic);
                router.unsubscribe(topic);
              }
            });
  }

  /** Publishes {@code data} on {@code topic}; completes with the message id once sent out. */
  public CompletableFuture<MessageId> publish(String topic, byte[] data) {
    byte[] copy = Arrays.copyOf(data, data.length);
    return CompletableFuture.supplyAsync(() -> router.publish(topic, copy), routerThread);
  }

  /**
   * Installs a validator for a topic (synchronous or asynchronous, see {@link MessageValidator}).
   */
  public void setValidator(String topic, MessageValidator validator) {
    onRouter(() -> router.setValidator(topic, validator));
  }

  /** Metrics of a topic as of the last heartbeat. */
  public Optional<TopicMetrics> metrics(String topic) {
    return Optional.ofNullable(metrics.get(topic));
  }

  /** Metrics of every topic we subscribe or publish to, as of the last heartbeat. */
  public Map<String, TopicMetrics> metrics() {
    return metrics;
  }

  /** Mesh peers of a topic (asks the router thread). */
  public CompletableFuture<Set<PeerId>> meshPeers(String topic) {
    return CompletableFuture.supplyAsync(() -> router.meshPeers(topic), routerThread);
  }

  /** Peers we know to subscribe to a topic (asks the router thread). */
  public CompletableFuture<Set<PeerId>> topicPeers(String topic) {
    return CompletableFuture.supplyAsync(() -> router.topicPeers(topic), routerThread);
  }

  /** A peer's score (asks the router thread). */
  public CompletableFuture<Double> score(PeerId peer) {
    return CompletableFuture.supplyAsync(() -> router.score(peer), routerThread);
  }

  public long droppedDeliveries() {
    return droppedDeliveries.get();
  }

  /**
   * Bytes of length-prefixed RPCs handed to peer streams since start (all topics, control and
   * gossip included; Yamux, Noise and TCP overhead excluded). Any thread.
   */
  public long rpcBytesWritten() {
    return rpcBytesWritten.get();
  }

  /** Peers disconnected because their outbound queue overflowed with non-gossip RPCs. */
  public long slowPeerDisconnects() {
    return slowPeerDisconnects.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (events != null) {
      events.close();
    }
    for (GossipProtocol p : GossipProtocol.values()) {
      host.removeStreamHandler(p.id());
    }
    // Streams are reset on the router thread, which owns the queues; then the threads stop.
    try {
      routerThread
          .submit(() -> queues.values().forEach(q -> q.stream.ifPresent(Stream::reset)))
          .get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("gossip service did not close its streams cleanly", e);
    }
    routerThread.shutdownNow();
    deliveryThread.shutdownNow();
  }

  // ---- host side -----------------------------------------------------------------------------

  private void onRouter(Runnable task) {
    if (closed) {
      return;
    }
    try {
      routerThread.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.warn("gossip router task failed", e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: late events from the host are dropped.
    }
  }

  private void heartbeat() {
    try {
      router.heartbeat();
      Map<String, TopicMetrics> snapshot = new HashMap<>();
      for (String topic : router.subscriptions()) {
        router.metrics(topic).ifPresent(m -> snapshot.put(topic, m));
      }
      queuedByTopic.forEach(
          (topic, bytes) ->
              router.metrics(topic).ifPresent(m -> snapshot.put(topic, m.withQueuedBytes(bytes))));
      metrics = Map.copyOf(snapshot);
    } catch (RuntimeException e) {
      log.warn("gossip heartbeat failed", e);
    }
  }

  private void onEvent(NetworkEvent event) {
    if (event instanceof NetworkEvent.PeerConnected connected) {
      onRouter(() -> openOutbound(connected.connection()));
    } else if (event instanceof NetworkEvent.PeerDisconnected gone) {
      // The host reports the peer's last connection closing, but a new one may have come up by
      // the time this runs (its PeerConnected follows): then the peer stays.
      onRouter(
          () -> {
            if (host.connection(gone.peerId()).isEmpty()) {
              removePeer(gone.peerId());
            }
          });
    }
  }

  private void openOutbound(Connection connection) {
    PeerId peer = connection.remotePeerId();
    PeerQueue queue = queues.get(peer);
    boolean carried =
        queue != null
            && queue
                .stream
                .filter(s -> s.connection() == connection && !s.closeFuture().isDone())
                .isPresent();
    if (carried || opening.get(peer) == connection) {
      return;
    }
    opening.put(peer, connection);
    List<String> ids = new ArrayList<>();
    for (GossipProtocol p : GossipProtocol.values()) {
      ids.add(p.id());
    }
    connection
        .newStream(ids)
        .whenComplete(
            (stream, error) ->
                onRouter(
                    () -> {
                      opening.remove(peer, connection);
                      if (error == null) {
                        attachOutbound(connection, stream);
                      } else {
                        outboundFailed(connection, error);
                      }
                    }));
  }

  private void outboundFailed(Connection connection, Throwable error) {
    PeerId peer = connection.remotePeerId();
    Optional<Connection> other = otherConnection(peer, connection);
    if (other.isPresent()) {
      // Typically the duplicate of a simultaneous dial, closed while the stream was negotiated.
      log.debug(
          "no gossipsub stream to {} on {}, trying {}: {}",
          peer,
          connection,
          other.get(),
          error.toString());
      openOutbound(other.get());
      return;
    }
    // If the peer stays, its next stream to us retries (onInboundStream); if it goes,
    // PeerDisconnected removes it; a peer kept without a stream is bounded by its queue.
    log.debug("{} does not speak gossipsub: {}", peer, error.toString());
  }

  private void attachOutbound(Connection connection, Stream stream) {
    PeerId peer = connection.remotePeerId();
    if (closed) {
      stream.reset();
      return;
    }
    GossipProtocol protocol = GossipProtocol.fromId(stream.protocolId()).orElseThrow();
    PeerQueue queue = ensurePeer(peer, protocol, connection);
    boolean replacement = queue.hadStream;
    queue.stream.ifPresent(Stream::reset);
    queue.stream = Optional.of(stream);
    queue.hadStream = true;
    queue.awaitingWritability = false;
    // We never read our outbound stream; its closing means the peer is gone for gossip, unless
    // another connection to it remains (outboundClosed).
    stream.read(DelimitedReader.of(config.maxRpcSize(), bytes -> {}, error -> {}));
    stream.closeFuture().whenComplete((v, e) -> onRouter(() -> outboundClosed(peer, stream)));
    if (replacement) {
      // A replacement stream: say our subscriptions again, as on any new stream (wire-notes
      // "send all subscriptions on connect"), in case the peer dropped us with the old one.
      router.announceSubscriptions(peer);
    }
    drain(peer, queue);
  }

  private void outboundClosed(PeerId peer, Stream stream) {
    PeerQueue queue = queues.get(peer);
    if (queue == null || queue.stream.filter(stream::equals).isEmpty()) {
      return; // replaced, or the peer already removed
    }
    queue.stream = Optional.empty();
    queue.awaitingWritability = false;
    Optional<Connection> other = otherConnection(peer, stream.connection());
    if (other.isPresent()) {
      // The queue keeps what the old stream had not taken; RPCs already written to it are lost.
      log.debug(
          "gossipsub stream to {} closed with {}; moving to {}",
          peer,
          stream.connection(),
          other.get());
      openOutbound(other.get());
    } else if (!opening.containsKey(peer)) {
      removePeer(peer);
    }
  }

  /** The peer's connection for new streams, if there is one other than {@code closing}. */
  private Optional<Connection> otherConnection(PeerId peer, Connection closing) {
    return host.connection(peer).filter(c -> c != closing && c.isOpen());
  }

  private PeerQueue ensurePeer(PeerId peer, GossipProtocol protocol, Connection connection) {
    PeerQueue queue = queues.get(peer);
    if (queue == null) {
      queue = new PeerQueue(maxQueuedBytesPerPeer, queuedByTopic);
      queues.put(peer, queue);
      router.addPeer(
          peer, protocol, connection.direction() == Direction.OUTBOUND, addressOf(connection));
    }
    return queue;
  }

  private static Optional<InetAddress> addressOf(Connection connection) {
    return connection
        .remoteAddress()
        .toSocketAddress()
        .flatMap(a -> Optional.ofNullable(a.getAddress()));
  }

  private void removePeer(PeerId peer) {
    opening.remove(peer);
    PeerQueue queue = queues.remove(peer);
    if (queue != null) {
      queue.clear();
      queue.stream.ifPresent(Stream::close);
    }
    router.removePeer(peer);
  }

  private void onInboundStream(Stream stream, GossipProtocol protocol) {
    PeerId peer = stream.remotePeerId();
    onRouter(
        () -> {
          PeerQueue queue = ensurePeer(peer, protocol, stream.connection());
          if (queue.stream.isEmpty() && !opening.containsKey(peer)) {
            // A peer with a stream to us but none from us: the connection ours was to be opened
            // on may have closed before the one the peer uses was reported (no PeerConnected for
            // a second connection), so this is where ours gets opened.
            openOutbound(host.connection(peer).orElse(stream.connection()));
          }
        });
    stream.read(
        new DelimitedReader(
            config.maxRpcSize(),
            new InboundRpcReader(
                stream,
                codec,
                INBOUND_IN_FLIGHT,
                this::onRouter,
                rpc -> router.handleRpc(peer, rpc))));
  }

  private void drain(PeerId peer, PeerQueue queue) {
    if (queue.stream.isEmpty() || queue.awaitingWritability || queues.get(peer) != queue) {
      return;
    }
    Stream stream = queue.stream.get();
    while (!queue.isEmpty()) {
      if (!stream.isWritable()) {
        queue.awaitingWritability = true;
        stream
            .whenWritable()
            .whenComplete(
                (v, e) ->
                    onRouter(
                        () -> {
                          // A stream since replaced (its connection closed) no longer gates it.
                          if (queue.stream.filter(stream::equals).isPresent()) {
                            queue.awaitingWritability = false;
                            drain(peer, queue);
                          }
                        }));
        return;
      }
      PeerQueue.Entry entry = queue.poll().orElseThrow();
      byte[] framed = DelimitedReader.frame(entry.rpc().toByteArray());
      rpcBytesWritten.addAndGet(framed.length);
      stream
          .write(ByteBuffer.wrap(framed))
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  log.debug("write to {} failed: {}", peer, e.toString());
                }
              });
    }
  }

  private final class Output implements RouterOutput {
    @Override
    public void send(PeerId peer, RPC rpc, boolean gossip) {
      PeerQueue queue = queues.get(peer);
      if (queue == null) {
        return;
      }
      switch (queue.offer(rpc, gossip)) {
        case QUEUED -> drain(peer, queue);
        case DROPPED -> {}
        case OVERFLOW -> {
          slowPeerDisconnects.incrementAndGet();
          log.info("disconnecting {}: outbound queue over {} bytes", peer, maxQueuedBytesPerPeer);
          disconnect(peer, "outbound queue overflow");
        }
      }
    }

    @Override
    public void deliver(MessageId id, PubsubMessage message, PeerId propagationSource) {
      List<Consumer<ReceivedMessage>> list = handlers.get(message.topic());
      if (list == null || list.isEmpty()) {
        return;
      }
      ReceivedMessage received =
          new ReceivedMessage(
              message.topic(), id, message.from(), message.data(), propagationSource);
      deliveryThread.execute(
          () -> {
            for (Consumer<ReceivedMessage> handler : list) {
              try {
                handler.accept(received);
              } catch (RuntimeException e) {
                log.warn("subscriber of {} failed", received.topic(), e);
              }
            }
          });
    }

    @Override
    public void awaitValidation(MessageId id, CompletionStage<ValidationResult> pending) {
      pending.whenComplete(
          (result, error) ->
              onRouter(
                  () ->
                      router.validationResult(
                          id, error == null ? result : ValidationResult.IGNORE)));
    }

    @Override
    public void peerExchange(PeerId pruner, String topic, List<PxPeer> peers) {
      // Dialing is the peer manager's job; we only learn verified addresses for it.
      List<PeerAddresses> learned = new ArrayList<>();
      for (PxPeer px : peers) {
        px.signedPeerRecord()
            .ifPresent(
                bytes -> {
                  try {
                    PeerRecord record = PeerRecord.open(bytes);
                    if (record.peerId().equals(px.peerId())) {
                      host.peerStore().addAddresses(px.peerId(), record.addresses());
                      learned.add(new PeerAddresses(px.peerId(), record.addresses()));
                    }
                  } catch (IllegalArgumentException e) {
                    log.debug("bad peer record from {} in PX: {}", pruner, e.getMessage());
                  }
                });
      }
      if (!learned.isEmpty()) {
        host.publish(
            new NetworkEvent.AddressesDiscovered(pruner, DiscoverySource.GOSSIP_PX, learned));
      }
    }

    @Override
    public void disconnect(PeerId peer, String reason) {
      removePeer(peer);
      host.connection(peer).ifPresent(Connection::close);
    }
  }
}
