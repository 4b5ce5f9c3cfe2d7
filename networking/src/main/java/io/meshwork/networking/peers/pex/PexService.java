package io.meshwork.networking.peers.pex;

import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.PeerAddresses;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.protocol.DelimitedReader;
import io.meshwork.networking.protocol.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer exchange on a {@link Host} ({@code /meshwork/pex/1.0.0}, docs/protocols/pex.md): serves
 * requests under a per-peer rate limit and asks peers for the signed peer records of theirs.
 *
 * <p>What a reply teaches us is verified (every envelope's signature and peer id) and then only
 * reported, as {@link NetworkEvent.AddressesDiscovered} with {@link DiscoverySource#PEX} through
 * {@link Host#publish}: dialing is the peer manager's decision, after its address book (pex.md,
 * "Security"). The records we share come from the peer store, where identify keeps them.
 *
 * <p>Threading: public methods may be called from any thread. Inbound streams are served on their
 * event loops; replies to our requests are verified on one "pex" thread, where the returned futures
 * complete (callbacks must not block it). At most {@link PexConfig#maxConcurrentRequests()} of our
 * requests run at once. No Netty buffers are involved: streams carry byte arrays.
 */
public final class PexService implements AutoCloseable {
  public static final String PROTOCOL_ID = "/meshwork/pex/1.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(PexService.class);

  private final Host host;
  private final PexConfig config;
  private final PexRateLimiter limiter;
  private final PexInbound inbound;
  private final ThreadPoolExecutor verifier;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private PexService(Host host, PexConfig config, LongSupplier nanoClock, RandomGenerator random) {
    this.host = host;
    this.config = config;
    this.limiter = new PexRateLimiter(config, nanoClock);
    this.inbound = new PexInbound(host, config, limiter, random);
    // Bounded by the requests in flight, which are capped: a full queue cannot happen.
    this.verifier =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.maxConcurrentRequests()),
            r -> {
              Thread thread = new Thread(r, "pex-" + host.peerId().toBase58().substring(0, 12));
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Serves the protocol on {@code host} and returns the service, ready to ask peers. */
  public static PexService start(Host host, PexConfig config) {
    PexService service = new PexService(host, config, System::nanoTime, new SecureRandom());
    host.setStreamHandler(PROTOCOL_ID, service.inbound::serve);
    return service;
  }

  /**
   * Asks {@code peer} (connecting through the peer store if needed) for up to {@link
   * PexConfig#maxPeersPerResponse()} peers. Completes with the verified records' peers and
   * addresses, also published as {@code AddressesDiscovered(peer, PEX, ...)} when not empty; fails
   * with {@link PexProtocolException} if the reply breaks the protocol (the stream is reset), with
   * {@link PexRejectedException} if the peer refused, or with a timeout after {@link
   * PexConfig#requestTimeout()}.
   */
  public CompletableFuture<List<PeerAddresses>> request(PeerId peer) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("pex service is closed"));
    }
    if (pending.size() >= config.maxConcurrentRequests()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              config.maxConcurrentRequests() + " pex requests already in flight"));
    }
    int wanted = config.maxPeersPerResponse();
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    CompletableFuture<List<PeerAddresses>> result =
        body.thenApplyAsync(
            bytes -> {
              List<PeerAddresses> peers =
                  PexCodec.decodeResponse(bytes, wanted, peer, host.peerId(), config);
              if (!peers.isEmpty()) {
                host.publish(
                    new NetworkEvent.AddressesDiscovered(peer, DiscoverySource.PEX, peers));
              }
              return peers;
            },
            this::verify);
    pending.add(result);
    result.whenComplete(
        (peers, error) -> {
          pending.remove(result);
          if (error != null) {
            body.completeExceptionally(error); // no-op unless closing failed us first
            logFailure(peer, error);
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            if (cause instanceof PexProtocolException) {
              host.publish(new NetworkEvent.PeerMisbehaved(peer, PROTOCOL_ID, cause.getMessage()));
            }
          }
        });
    if (closed) { // close() raced this request past its first check
      result.completeExceptionally(new IllegalStateException("pex service closed"));
      return result;
    }
    AtomicReference<Stream> opened = new AtomicReference<>();
    body.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (b, error) -> {
              Stream stream = opened.get();
              if (stream != null) {
                if (error != null) {
                  stream.reset();
                } else {
                  stream.close();
                }
              }
            });
    host.newStream(peer, List.of(PROTOCOL_ID))
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                body.completeExceptionally(error);
                return;
              }
              opened.set(stream);
              if (body.isDone()) { // timed out or closed while the stream was opening
                stream.reset();
                return;
              }
              exchange(stream, wanted, body);
            });
    return result;
  }

  /** Runs verification on the pex thread; once closed, the request has already been failed. */
  private void verify(Runnable task) {
    try {
      verifier.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("pex response arrived after close; dropped");
    }
  }

  private void exchange(Stream stream, int wanted, CompletableFuture<byte[]> body) {
    stream.read(
        new DelimitedReader(
            // Checked on the length prefix, before anything is buffered (pex.md, "Limits").
            config.maxMessageSize(),
            new DelimitedReader.Handler() {
              @Override
              public void onMessage(byte[] message) {
                body.complete(message);
              }

              @Override
              public void onEnd() {
                body.completeExceptionally(
                    new PexProtocolException("pex stream closed without a response"));
              }

              @Override
              public void onError(Throwable cause) {
                body.completeExceptionally(
                    cause instanceof ProtocolViolationException
                        ? new PexProtocolException("bad pex response: " + cause.getMessage(), cause)
                        : cause);
              }
            }));
    stream
        .write(ByteBuffer.wrap(PexCodec.encodeRequest(wanted)))
        .thenCompose(v -> stream.closeWrite())
        .exceptionally(
            error -> {
              body.completeExceptionally(error);
              return null;
            });
  }

  private static void logFailure(PeerId peer, Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    if (cause instanceof PexProtocolException) {
      LOG.info("peer exchange with {} failed, stream reset: {}", peer, cause.getMessage());
    } else {
      LOG.debug("peer exchange with {} failed: {}", peer, cause.toString());
    }
  }

  /**
   * Replaces what we share: {@code source} gets the requester and returns candidate peers, whose
   * signed records (if the peer store holds one) are sampled at random. The default is every
   * connected peer. Called on stream event loops: it must be fast and must not block.
   */
  public void setSharedPeers(Function<PeerId, List<PeerId>> source) {
    inbound.setSharedPeers(java.util.Objects.requireNonNull(source));
  }

  /**
   * From now on, asks each peer we dialed for peers, once per connection, as soon as identify says
   * it speaks PEX. Only outbound peers are asked (as Bitcoin Core asks only its outbound peers for
   * addresses): a peer that dials us costs an attacker less than one we chose from our address
   * book. Close the returned subscription (or the service) to stop.
   */
  public Subscription askOutboundPeers() {
    Set<PeerId> asked = ConcurrentHashMap.newKeySet(); // bounded by the open connections
    Subscription subscription =
        host.subscribe(
            event -> {
              if (event instanceof NetworkEvent.PeerDisconnected gone) {
                asked.remove(gone.peerId());
              } else if (event instanceof NetworkEvent.PeerIdentified identified
                  && identified.protocols().contains(PROTOCOL_ID)
                  && host.connection(identified.peerId())
                      .map(c -> c.direction() == Direction.OUTBOUND)
                      .orElse(false)
                  && asked.add(identified.peerId())) {
                request(identified.peerId()); // failures are logged by request itself
              }
            });
    subscriptions.add(subscription);
    return subscription;
  }

  /** Requests peers sent us, answered or refused, for metrics and tests. */
  public int requestsReceived() {
    return inbound.requestsReceived();
  }

  /** Requests refused as a flood (stream reset, peer disconnected), for metrics and tests. */
  public int abusiveRequests() {
    return inbound.abusiveRequests();
  }

  /** Stops serving and fails every request still in flight. */
  @Override
  public void close() {
    closed = true;
    subscriptions.forEach(Subscription::close);
    host.removeStreamHandler(PROTOCOL_ID);
    IllegalStateException closing = new IllegalStateException("pex service closed");
    for (CompletableFuture<?> future : List.copyOf(pending)) {
      future.completeExceptionally(closing);
    }
    verifier.shutdownNow();
  }
}
