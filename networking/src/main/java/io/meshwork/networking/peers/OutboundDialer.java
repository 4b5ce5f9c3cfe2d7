package io.meshwork.networking.peers;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.crypto.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@link OutboundPlanner}'s decisions for the {@link PeerManager}: dials (outbound,
 * feeler, bootstrap, anchor) and their outcomes, rotations, and disconnections on purpose; tracks
 * when each outbound connection opened, keeps the anchors up to date and publishes {@link
 * NetworkEvent.DialFailed}, {@link NetworkEvent.FeelerDone} and {@link
 * NetworkEvent.OutboundRotated} on the host.
 *
 * <p>Threads: not thread-safe; every method runs on the peer manager's thread. Dial outcomes arrive
 * on Netty threads and are handed back to that thread through {@code onThread}.
 */
final class OutboundDialer {
  // Same logger as before this class was split out of the manager, so log filters keep working.
  private static final Logger LOG = LoggerFactory.getLogger(PeerManager.class);

  private final Host host;
  private final OutboundPlanner planner;
  private final Anchors anchors;
  private final Clock clock;
  private final Consumer<Runnable> onThread;

  /** When our outbound connections opened (the Connection API has no such time). */
  private final Map<PeerId, Instant> outboundSince = new HashMap<>();

  /** Peers we are disconnecting on purpose (rotation, ban, feeler): not redialed, not counted. */
  private final Set<PeerId> closingOnPurpose = new HashSet<>();

  private final AtomicLong dialsFailed = new AtomicLong();
  private final AtomicLong feelers = new AtomicLong();
  private final AtomicLong rotations = new AtomicLong();

  /**
   * @param onThread runs a task on the peer manager's thread (dial completions hop back with it)
   */
  OutboundDialer(
      Host host,
      OutboundPlanner planner,
      Anchors anchors,
      Clock clock,
      Consumer<Runnable> onThread) {
    this.host = host;
    this.planner = planner;
    this.anchors = anchors;
    this.clock = clock;
    this.onThread = onThread;
  }

  /** A banned peer is being disconnected: if connected, its disconnection is on purpose. */
  void disconnectBanned(PeerId peer) {
    if (host.connection(peer).isPresent()) {
      closingOnPurpose.add(peer);
    }
    host.connectionManager().disconnect(peer);
  }

  long dialsFailed() {
    return dialsFailed.get();
  }

  long feelers() {
    return feelers.get();
  }

  long rotations() {
    return rotations.get();
  }

  void connected(PeerId peer, Connection connection) {
    if (connection.direction() != Direction.OUTBOUND) {
      return;
    }
    outboundSince.putIfAbsent(peer, clock.instant());
    if (planner.dialing(peer).isEmpty()) {
      // Someone else's dial (DHT, application): its address worked all the same.
      planner.outboundConnected(peer, connection.remoteAddress());
      updateAnchors();
    } // our own dials are handled when their future completes
  }

  void disconnected(PeerId peer, Connection connection) {
    boolean onPurpose = closingOnPurpose.remove(peer);
    boolean outbound = outboundSince.remove(peer) != null;
    planner.disconnected(peer, outbound, onPurpose);
  }

  void dial(OutboundPlanner.Action.Dial dial) {
    LOG.debug("dialing {} at {} ({})", dial.peer(), dial.address(), dial.purpose());
    host.dial(dial.address().withP2p(dial.peer().toBytes()))
        .whenComplete(
            (connection, error) -> onThread.accept(() -> dialed(dial, connection, error)));
  }

  private void dialed(OutboundPlanner.Action.Dial dial, Connection connection, Throwable error) {
    PeerId peer = dial.peer();
    boolean feeler = dial.purpose() == OutboundPlanner.Purpose.FEELER;
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      Duration retryIn = planner.dialFailed(peer);
      dialsFailed.incrementAndGet();
      if (dial.purpose() == OutboundPlanner.Purpose.BOOTSTRAP
          || dial.purpose() == OutboundPlanner.Purpose.ANCHOR) {
        // the operator named these (or we trusted them last run): worth a line by default
        LOG.warn(
            "{} peer {} unreachable ({}); retrying in {} ms",
            dial.purpose() == OutboundPlanner.Purpose.BOOTSTRAP ? "bootstrap" : "anchor",
            dial.address().withP2p(peer.toBytes()),
            cause.getMessage(),
            retryIn.toMillis());
      } else {
        LOG.debug("dial of {} at {} failed: {}", peer, dial.address(), cause.getMessage());
      }
      host.publish(
          new NetworkEvent.DialFailed(
              peer, dial.address(), String.valueOf(cause.getMessage()), retryIn));
      if (feeler) {
        feelers.incrementAndGet();
        host.publish(new NetworkEvent.FeelerDone(peer, false));
      }
      return;
    }
    if (connection.direction() != Direction.OUTBOUND) {
      planner.dialAbandoned(peer); // an inbound connection was reused: not an outbound slot
      return;
    }
    outboundSince.putIfAbsent(peer, clock.instant());
    planner.outboundConnected(peer, dial.address());
    if (feeler) {
      feelers.incrementAndGet();
      host.publish(new NetworkEvent.FeelerDone(peer, true));
      if (!planner.keepFeeler(peer, dial.address(), view())) {
        closingOnPurpose.add(peer);
        host.connectionManager().disconnect(peer);
        return;
      }
    }
    updateAnchors();
  }

  void rotate(PeerId peer) {
    LOG.info("rotating outbound peer {}", peer);
    rotations.incrementAndGet();
    closingOnPurpose.add(peer);
    host.connectionManager().disconnect(peer);
    host.publish(new NetworkEvent.OutboundRotated(peer));
  }

  /** The host's connections now, minus those we are closing on purpose. */
  OutboundPlanner.ConnectionView view() {
    Instant now = clock.instant();
    List<OutboundPlanner.Outbound> outbound = new ArrayList<>();
    Set<PeerId> connected = new HashSet<>();
    for (Connection c : host.connections()) {
      connected.add(c.remotePeerId());
      if (c.direction() == Direction.OUTBOUND && !closingOnPurpose.contains(c.remotePeerId())) {
        outbound.add(
            new OutboundPlanner.Outbound(
                c.remotePeerId(),
                c.remoteAddress(),
                outboundSince.getOrDefault(c.remotePeerId(), now)));
      }
    }
    List<OutboundPlanner.Outbound> outboundView = List.copyOf(outbound);
    return new OutboundPlanner.ConnectionView() {
      @Override
      public List<OutboundPlanner.Outbound> outbound() {
        return outboundView;
      }

      @Override
      public boolean isConnected(PeerId peer) {
        return connected.contains(peer);
      }
    };
  }

  void updateAnchors() {
    anchors.update(
        view().outbound().stream()
            .filter(o -> planner.dialing(o.peer()).isEmpty())
            .map(o -> new Anchors.Anchor(o.peer(), List.of(o.address()), o.since()))
            .toList());
  }
}
