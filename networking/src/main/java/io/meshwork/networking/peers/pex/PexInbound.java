package io.meshwork.networking.peers.pex;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.peers.pex.pb.PexProto.PexResponse;
import io.meshwork.networking.protocol.DelimitedReader;
import io.meshwork.networking.protocol.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves inbound {@code /meshwork/pex/1.0.0} streams (docs/protocols/pex.md): one request of at
 * most {@link PexCodec#MAX_REQUEST_SIZE} bytes within {@link PexConfig#requestTimeout()}, checked
 * against the {@link PexRateLimiter}, answered with a random sample of the shared peers' signed
 * records, then the stream is closed. Abusive peers get their stream reset and their connection
 * closed.
 *
 * <p>Runs entirely on the stream's event loop: answering reads only the peer store (records are
 * forwarded as stored, never re-signed or re-verified), so nothing here blocks.
 */
final class PexInbound {
  private static final Logger LOG = LoggerFactory.getLogger(PexInbound.class);

  private final Host host;
  private final PexConfig config;
  private final PexRateLimiter limiter;
  private final RandomGenerator random;
  private final AtomicInteger abusiveRequests = new AtomicInteger();
  private final AtomicInteger requestsReceived = new AtomicInteger();
  private volatile Function<PeerId, List<PeerId>> sharedPeers;

  PexInbound(Host host, PexConfig config, PexRateLimiter limiter, RandomGenerator random) {
    this.host = host;
    this.config = config;
    this.limiter = limiter;
    this.random = random;
    this.sharedPeers = requester -> connectedPeers();
  }

  void setSharedPeers(Function<PeerId, List<PeerId>> source) {
    this.sharedPeers = source;
  }

  /** Requests refused as abusive so far (their streams reset without a reply). */
  int abusiveRequests() {
    return abusiveRequests.get();
  }

  /** Requests that arrived whole, whatever their answer. */
  int requestsReceived() {
    return requestsReceived.get();
  }

  private List<PeerId> connectedPeers() {
    List<PeerId> peers = new ArrayList<>();
    host.connections().forEach(c -> peers.add(c.remotePeerId()));
    return peers;
  }

  void serve(Stream stream) {
    PeerId sender = stream.remotePeerId();
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (v, error) -> {
              if (error != null) {
                LOG.debug("pex stream from {} failed: {}", sender, error.toString());
                stream.reset();
              }
            });
    stream.read(
        new DelimitedReader(
            PexCodec.MAX_REQUEST_SIZE,
            new DelimitedReader.Handler() {
              private boolean answered;

              @Override
              public void onMessage(byte[] body) {
                if (answered) {
                  onError(new ProtocolViolationException("a second pex request on one stream"));
                  return;
                }
                answered = true;
                answer(stream, sender, body, done);
              }

              @Override
              public void onEnd() {
                if (!answered) {
                  onError(new ProtocolViolationException("pex stream closed without a request"));
                }
              }

              @Override
              public void onError(Throwable cause) {
                done.completeExceptionally(cause);
              }
            }));
  }

  private void answer(Stream stream, PeerId sender, byte[] body, CompletableFuture<Void> done) {
    requestsReceived.incrementAndGet();
    PexRateLimiter.Verdict verdict = limiter.check(sender);
    byte[] reply;
    switch (verdict.decision()) {
      case ABUSIVE -> {
        if (abusiveRequests.getAndIncrement() % 100 == 0) {
          LOG.info("{} floods peer exchange requests; resetting and disconnecting", sender);
        }
        done.completeExceptionally(new PexProtocolException("pex request flood from " + sender));
        host.publish(
            new NetworkEvent.PeerMisbehaved(sender, PexService.PROTOCOL_ID, "request flood"));
        host.connectionManager().disconnect(sender);
        return;
      }
      case RATE_LIMITED -> {
        LOG.debug("pex request from {} rate limited", sender);
        reply = PexCodec.encodeRefusal(PexResponse.Status.RATE_LIMITED, verdict.retryAfter());
      }
      default -> {
        try {
          reply =
              PexCodec.encodeResponse(
                  sample(sender, PexCodec.decodeRequest(body, config.maxPeersPerResponse())),
                  config);
        } catch (PexProtocolException e) {
          LOG.debug("bad pex request from {}: {}", sender, e.getMessage());
          reply = PexCodec.encodeRefusal(PexResponse.Status.BAD_REQUEST, config.requestInterval());
        }
      }
    }
    stream
        .write(ByteBuffer.wrap(reply))
        .thenCompose(v -> stream.close())
        .whenComplete(
            (v, error) -> {
              if (error != null) {
                done.completeExceptionally(error);
              } else {
                done.complete(null);
              }
            });
  }

  /** Up to {@code n} random records of shared peers, never the requester's or ours (pex.md). */
  private List<byte[]> sample(PeerId requester, int n) {
    List<PeerId> candidates;
    try {
      candidates = new ArrayList<>(new LinkedHashSet<>(sharedPeers.apply(requester)));
    } catch (RuntimeException e) {
      LOG.warn("the shared-peers source of peer exchange failed; sharing nobody", e);
      return List.of();
    }
    candidates.remove(requester);
    candidates.remove(host.peerId());
    // Partial Fisher-Yates: a uniform sample without shuffling the whole list.
    List<byte[]> records = new ArrayList<>(Math.min(n, candidates.size()));
    for (int i = 0; i < candidates.size() && records.size() < n; i++) {
      int j = i + random.nextInt(candidates.size() - i);
      PeerId picked = candidates.get(j);
      candidates.set(j, candidates.get(i));
      Optional<byte[]> record = host.peerStore().signedPeerRecord(picked);
      record.filter(r -> r.length <= config.maxRecordSize()).ifPresent(records::add);
    }
    return records;
  }
}
