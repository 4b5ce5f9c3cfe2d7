package io.meshwork.sync;

import io.meshwork.chain.Chain;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.reqresp.ReqResp;
import io.meshwork.networking.reqresp.ReqRespException;
import io.meshwork.networking.reqresp.Response;
import io.meshwork.networking.reqresp.ResponseCode;
import io.meshwork.sync.wire.StatusMessage;
import io.meshwork.sync.wire.WireFormatException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status exchange (chain-reqresp.md, "status"): on every new connection each side sends its
 * status and gets the other's. A peer on another network (network id or genesis hash differ) is
 * told so, reported and disconnected; a peer whose chain carries more work than ours is handed to
 * {@code onHeavierPeer} so we catch up with it.
 *
 * <p>Thread-safe. Holds one status per connected peer (removed on disconnect).
 */
final class StatusExchange {
  private static final Logger LOG = LoggerFactory.getLogger(StatusExchange.class);

  private final Host host;
  private final ReqResp reqResp;
  private final Chain chain;
  private final SyncProtocols protocols;
  private final SyncMetrics metrics;
  private final BiConsumer<PeerId, StatusMessage> onHeavierPeer;
  private final Map<PeerId, StatusMessage> peers = new ConcurrentHashMap<>();

  StatusExchange(
      Host host,
      ReqResp reqResp,
      Chain chain,
      SyncProtocols protocols,
      SyncMetrics metrics,
      BiConsumer<PeerId, StatusMessage> onHeavierPeer) {
    this.host = host;
    this.reqResp = reqResp;
    this.chain = chain;
    this.protocols = protocols;
    this.metrics = metrics;
    this.onHeavierPeer = onHeavierPeer;
  }

  StatusMessage ours() {
    BlockHeader head;
    java.math.BigInteger work;
    synchronized (chain) {
      head = chain.headHeader();
      work = chain.headCumulativeWork();
    }
    return new StatusMessage(
        protocols.networkId(), chain.genesisHash(), head.hash(), head.height(), work);
  }

  /** The last status each connected chain peer gave. */
  Map<PeerId, StatusMessage> peers() {
    return Map.copyOf(peers);
  }

  Optional<StatusMessage> status(PeerId peer) {
    return Optional.ofNullable(peers.get(peer));
  }

  void onEvent(NetworkEvent event) {
    if (event instanceof NetworkEvent.PeerConnected connected) {
      exchange(connected.peerId());
    } else if (event instanceof NetworkEvent.PeerDisconnected disconnected) {
      if (host.connection(disconnected.peerId()).isEmpty()) {
        peers.remove(disconnected.peerId());
      }
    }
  }

  /** Asks {@code peer} for its status (the request carries ours). */
  CompletableFuture<Void> exchange(PeerId peer) {
    return reqResp
        .request(peer, protocols.status(), ours().encode())
        .handle(
            (bytes, error) -> {
              if (error != null) {
                onRequestFailed(peer, error);
                return null;
              }
              StatusMessage theirs;
              try {
                theirs = StatusMessage.decode(bytes);
              } catch (WireFormatException e) {
                misbehaved(peer, "undecodable status: " + e.getMessage());
                return null;
              }
              Optional<String> mismatch = mismatch(theirs);
              if (mismatch.isPresent()) {
                wrongNetwork(peer, mismatch.get());
              } else {
                learned(peer, theirs);
              }
              return null;
            });
  }

  /** Serves a status request: the requester's status in, ours out. */
  CompletableFuture<Response> serve(PeerId peer, byte[] request) {
    StatusMessage theirs;
    try {
      theirs = StatusMessage.decode(request);
    } catch (WireFormatException e) {
      return CompletableFuture.completedFuture(
          Response.error(ResponseCode.INVALID_REQUEST, e.getMessage()));
    }
    Optional<String> mismatch = mismatch(theirs);
    if (mismatch.isPresent()) {
      // Answered first so the peer learns why, then disconnected once the answer is out.
      CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
          .execute(() -> wrongNetwork(peer, mismatch.get()));
      return CompletableFuture.completedFuture(
          Response.error(ResponseCode.INVALID_REQUEST, mismatch.get()));
    }
    learned(peer, theirs);
    return CompletableFuture.completedFuture(Response.ok(ours().encode()));
  }

  private Optional<String> mismatch(StatusMessage theirs) {
    return ours().wrongNetworkReason(theirs);
  }

  private void learned(PeerId peer, StatusMessage theirs) {
    if (host.connection(peer).isEmpty()) {
      return;
    }
    peers.put(peer, theirs);
    if (theirs.totalWork().compareTo(chain.headCumulativeWork()) > 0
        && chain.header(theirs.headHash()).isEmpty()) {
      onHeavierPeer.accept(peer, theirs);
    }
  }

  private void onRequestFailed(PeerId peer, Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
    if (cause instanceof ReqRespException e
        && e.kind() == ReqRespException.Kind.REMOTE_ERROR
        && e.code().orElse(null) == ResponseCode.INVALID_REQUEST
        && String.valueOf(e.getMessage()).contains("wrong network")) {
      wrongNetwork(peer, e.getMessage());
    } else if (cause instanceof ReqRespException e
        && e.kind() == ReqRespException.Kind.UNSUPPORTED_PROTOCOL) {
      LOG.debug("{} does not carry the {} chain", peer, protocols.networkId());
    } else {
      LOG.debug("status exchange with {} failed: {}", peer, cause.getMessage());
    }
  }

  private void wrongNetwork(PeerId peer, String reason) {
    metrics.wrongNetworkPeers.incrementAndGet();
    LOG.info("disconnecting {}: {}", peer, reason);
    peers.remove(peer);
    host.publish(new NetworkEvent.PeerMisbehaved(peer, protocols.status().id(), reason));
    host.connectionManager()
        .disconnect(peer)
        .exceptionally(
            e -> {
              LOG.debug("disconnecting {} failed: {}", peer, e.getMessage());
              return null;
            });
  }

  private void misbehaved(PeerId peer, String reason) {
    LOG.debug("{}: {}", peer, reason);
    host.publish(new NetworkEvent.PeerMisbehaved(peer, protocols.status().id(), reason));
  }
}
