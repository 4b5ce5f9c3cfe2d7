package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A libp2p host: listens and dials over TCP, secures connections with Noise, multiplexes them with
 * Yamux and serves protocols on streams. Built with {@code HostBuilder}; thread-safe.
 */
public interface Host extends AutoCloseable {
  PeerId peerId();

  /** Starts listening; completes with the bound address (port 0 picks a free port). */
  CompletableFuture<Multiaddr> listen(Multiaddr address);

  /** The addresses we listen on, without {@code /p2p}. */
  List<Multiaddr> listenAddresses();

  /**
   * Connects to the peer at {@code address}, which may name the expected peer with {@code /p2p}; if
   * it does, a different peer is rejected during the handshake. Reuses an open connection.
   */
  CompletableFuture<Connection> dial(Multiaddr address);

  /** Connects to a known peer through the addresses in the peer store (or reuses a connection). */
  CompletableFuture<Connection> connect(PeerId peer);

  /** Opens a stream to {@code peer}, connecting first if needed. */
  CompletableFuture<Stream> newStream(PeerId peer, List<String> protocolIds);

  /** Serves {@code protocolId} on inbound streams; replaces an earlier handler for it. */
  void setStreamHandler(String protocolId, StreamHandler handler);

  void removeStreamHandler(String protocolId);

  /** The protocols we serve. */
  Set<String> protocols();

  List<Connection> connections();

  Optional<Connection> connection(PeerId peer);

  PeerStore peerStore();

  /**
   * Installs the gater asked about every connection (replacing the previous one, {@link
   * ConnectionGater#ALLOW_ALL} by default). Existing connections are not re-checked: whoever denies
   * a connected peer also disconnects it.
   */
  void setConnectionGater(ConnectionGater gater);

  ConnectionManager connectionManager();

  /** Subscribes to the events of the host and of the services built on it. */
  Subscription subscribe(NetworkEventListener listener);

  /**
   * Reports {@code event} to every subscriber, in order with the host's own events, on the event
   * thread. For services built on the host (DHT, gossip, peer exchange, peer manager); the queue is
   * bounded and an event that does not fit is dropped and counted, so this never blocks.
   */
  void publish(NetworkEvent event);

  /** Closes all connections and listeners. */
  CompletableFuture<Void> stop();

  @Override
  default void close() {
    stop().join();
  }
}
