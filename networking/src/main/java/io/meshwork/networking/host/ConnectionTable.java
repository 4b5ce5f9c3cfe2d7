package io.meshwork.networking.host;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.ConnectionManager;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.crypto.PeerId;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's connections: limits, one connection kept per peer, connected and disconnected events.
 *
 * <p>When two peers dial each other at once, both end up with two connections. Both sides keep the
 * connection dialed by the peer with the lower peer id and close the other, so they agree without a
 * message (wire-notes, "Simultaneous open"). A connection that is closing or got GoAway always
 * loses to a fresh one. {@link NetworkEvent.PeerConnected} is published when a peer goes from no
 * connection to one, {@link NetworkEvent.PeerDisconnected} when its last connection closes; the
 * swap of a duplicate publishes neither. Thread-safe (one lock; connection churn is slow).
 */
final class ConnectionTable implements ConnectionManager {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTable.class);

  private final PeerId self;
  private final HostConfig config;
  private final EventBus events;
  private final Set<HostConnection> upgrading = ConcurrentHashMap.newKeySet();

  /** The connection kept per peer: the one streams are opened on. */
  private final Map<PeerId, HostConnection> byPeer = new HashMap<>();

  /**
   * Every established, not yet closed connection per peer (the kept one and closing duplicates).
   */
  private final Map<PeerId, Set<HostConnection>> live = new HashMap<>();

  ConnectionTable(PeerId self, HostConfig config, EventBus events) {
    this.self = self;
    this.config = config;
    this.events = events;
  }

  synchronized boolean hasRoomForInbound() {
    long inbound =
        upgrading.stream().filter(c -> c.direction() == Direction.INBOUND).count()
            + byPeer.values().stream().filter(c -> c.direction() == Direction.INBOUND).count();
    return inbound < config.maxInboundConnections() && total() < config.maxConnections();
  }

  synchronized boolean hasRoomForOutbound() {
    return total() < config.maxConnections();
  }

  private int total() {
    return upgrading.size() + byPeer.size();
  }

  void upgrading(HostConnection connection) {
    upgrading.add(connection);
    connection.channel().closeFuture().addListener(f -> upgrading.remove(connection));
  }

  void upgradeFailed(HostConnection connection) {
    upgrading.remove(connection);
  }

  /** Registers an upgraded connection and returns the one kept for its peer. */
  Connection established(HostConnection connection) {
    PeerId peer = connection.remotePeerId();
    HostConnection loser;
    HostConnection kept;
    boolean firstForPeer;
    synchronized (this) {
      upgrading.remove(connection);
      if (!connection.isOpen()) {
        return connection;
      }
      Set<HostConnection> peerConnections = live.computeIfAbsent(peer, p -> new HashSet<>());
      firstForPeer = peerConnections.isEmpty();
      peerConnections.add(connection);
      HostConnection existing = byPeer.get(peer);
      if (existing == null || !existing.isUsable() || preferNew(existing, connection, peer)) {
        byPeer.put(peer, connection);
        kept = connection;
        loser = existing != null && existing.isUsable() ? existing : null;
      } else {
        kept = existing;
        loser = connection;
      }
    }
    connection.closeFuture().whenComplete((v, e) -> closed(connection));
    if (firstForPeer) {
      LOG.debug("connected {}", kept);
      events.publish(new NetworkEvent.PeerConnected(peer, kept));
    }
    if (loser != null) {
      LOG.debug("keeping {} and closing the duplicate {}", kept, loser);
      loser.close();
    }
    return kept;
  }

  /** Same decision on both sides: keep the connection dialed by the lower peer id. */
  private boolean preferNew(HostConnection existing, HostConnection candidate, PeerId remote) {
    if (existing.direction() == candidate.direction()) {
      return false; // same dialer twice: keep the older
    }
    PeerId lower = self.compareTo(remote) < 0 ? self : remote;
    Direction lowerDialed = lower.equals(self) ? Direction.OUTBOUND : Direction.INBOUND;
    return candidate.direction() == lowerDialed;
  }

  private void closed(HostConnection connection) {
    PeerId peer = connection.remotePeerId();
    boolean lastForPeer;
    synchronized (this) {
      if (byPeer.get(peer) == connection) {
        byPeer.remove(peer);
      }
      Set<HostConnection> peerConnections = live.get(peer);
      if (peerConnections != null) {
        peerConnections.remove(connection);
      }
      lastForPeer = peerConnections == null || peerConnections.isEmpty();
      if (lastForPeer) {
        live.remove(peer);
      } else if (!byPeer.containsKey(peer)) {
        // The kept one went first: promote a remaining one.
        peerConnections.stream()
            .filter(HostConnection::isUsable)
            .findFirst()
            .ifPresent(c -> byPeer.put(peer, c));
      }
    }
    if (lastForPeer) {
      LOG.debug("disconnected {}", connection);
      events.publish(new NetworkEvent.PeerDisconnected(peer, connection));
    }
  }

  @Override
  public int maxConnections() {
    return config.maxConnections();
  }

  @Override
  public int maxInboundConnections() {
    return config.maxInboundConnections();
  }

  @Override
  public synchronized int connectionCount() {
    return total();
  }

  @Override
  public CompletableFuture<Void> disconnect(PeerId peer) {
    List<HostConnection> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(live.getOrDefault(peer, Set.of()));
    }
    return CompletableFuture.allOf(
        toClose.stream().map(HostConnection::close).toArray(CompletableFuture[]::new));
  }

  synchronized List<Connection> all() {
    return List.copyOf(byPeer.values());
  }

  synchronized Optional<Connection> get(PeerId peer) {
    HostConnection c = byPeer.get(peer);
    return c != null && c.isUsable() ? Optional.of(c) : Optional.empty();
  }

  List<Channel> upgradingChannels() {
    List<Channel> channels = new ArrayList<>();
    upgrading.forEach(c -> channels.add(c.channel()));
    return channels;
  }
}
