package io.meshwork.networking.host;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.ConnectionDeniedException;
import io.meshwork.networking.core.ConnectionGater;
import io.meshwork.networking.core.ConnectionManager;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.NetworkEventListener;
import io.meshwork.networking.core.PeerStore;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamHandler;
import io.meshwork.networking.core.Subscription;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.transport.ConnectionUpgrader;
import io.meshwork.networking.transport.TcpTransport;
import io.meshwork.networking.transport.UpgradedChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Host} built by {@link HostBuilder}. Thread-safe. */
final class BasicHost implements Host {
  private static final Logger LOG = LoggerFactory.getLogger(BasicHost.class);

  private final PrivateKey identity;
  private final PeerId peerId;
  private final HostConfig config;
  private final TcpTransport transport;
  private final ConnectionUpgrader upgrader;
  private final ProtocolRegistry protocols = new ProtocolRegistry();
  private final DefaultPeerStore peerStore = new DefaultPeerStore(10_000);
  private final ConnectionTable connections;
  private final EventBus events;
  private final List<Multiaddr> listenAddresses = new CopyOnWriteArrayList<>();
  private final List<Channel> listeners = new CopyOnWriteArrayList<>();
  private final Map<PeerId, CompletableFuture<Connection>> pendingDials = new ConcurrentHashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AddressResolver resolver = new AddressResolver();
  private volatile ConnectionGater gater = ConnectionGater.ALLOW_ALL;

  BasicHost(PrivateKey identity, HostConfig config) {
    this.identity = identity;
    this.peerId = PeerId.fromPublicKey(identity.publicKey());
    this.config = config;
    this.transport = new TcpTransport(config.ioThreads(), config.dialTimeout());
    this.upgrader = new ConnectionUpgrader(identity, config.upgrade());
    this.events =
        new EventBus(peerId.toBase58().substring(Math.max(0, peerId.toBase58().length() - 6)));
    this.connections = new ConnectionTable(peerId, config, events);
  }

  PrivateKey identity() {
    return identity;
  }

  ProtocolRegistry protocolRegistry() {
    return protocols;
  }

  EventBus eventBus() {
    return events;
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public CompletableFuture<Multiaddr> listen(Multiaddr address) {
    InetSocketAddress socketAddress =
        address
            .toSocketAddress()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "cannot listen on " + address + ": need ip4/ip6 and tcp"));
    return transport
        .listen(socketAddress, initializer(Direction.INBOUND, Optional.empty(), null))
        .thenApply(
            channel -> {
              listeners.add(channel);
              Multiaddr bound = TcpTransport.toMultiaddr(channel.localAddress());
              // An unspecified address (0.0.0.0, ::) is not dialable: advertise the interfaces'.
              List<Multiaddr> advertised =
                  AddressResolver.expandUnspecified((InetSocketAddress) channel.localAddress());
              listenAddresses.addAll(advertised);
              LOG.info("listening on {} as {}", bound, advertised);
              return bound;
            });
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return List.copyOf(listenAddresses);
  }

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    Optional<PeerId> expected = address.p2pMultihash().map(PeerId::fromBytes);
    if (expected.isPresent()) {
      if (expected.get().equals(peerId)) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException("cannot dial ourselves"));
      }
      Optional<Connection> existing = connection(expected.get());
      if (existing.isPresent()) {
        return CompletableFuture.completedFuture(existing.get());
      }
      PeerId peer = expected.get();
      Optional<String> denied = gater.deny(peer, address.withoutP2p(), Direction.OUTBOUND);
      if (denied.isPresent()) {
        return CompletableFuture.failedFuture(new ConnectionDeniedException(peer, denied.get()));
      }
      CompletableFuture<Connection> pending = pendingDials.get(peer);
      if (pending != null) {
        return pending;
      }
      CompletableFuture<Connection> dial = new CompletableFuture<>();
      pending = pendingDials.putIfAbsent(peer, dial);
      if (pending != null) {
        return pending;
      }
      // Registered before the dial starts, so a dial that fails at once is not left cached.
      dial.whenComplete((c, e) -> pendingDials.remove(peer, dial));
      dialAddress(address.withoutP2p(), expected)
          .whenComplete(
              (c, e) -> {
                if (e == null) {
                  peerStore.addAddresses(peer, List.of(address.withoutP2p()));
                  dial.complete(c);
                } else {
                  dial.completeExceptionally(e);
                }
              });
      return dial;
    }
    return dialAddress(address, Optional.empty());
  }

  private CompletableFuture<Connection> dialAddress(Multiaddr address, Optional<PeerId> expected) {
    if (stopped.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("host is stopped"));
    }
    Optional<InetSocketAddress> socketAddress = address.toSocketAddress();
    if (socketAddress.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("cannot dial " + address + ": need ip4/ip6/dns and tcp"));
    }
    if (!connections.hasRoomForOutbound()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("connection limit reached (" + config.maxConnections() + ")"));
    }
    return resolver
        .resolve(socketAddress.get())
        .thenCompose(resolved -> dialResolved(address, resolved, expected));
  }

  private CompletableFuture<Connection> dialResolved(
      Multiaddr address, InetSocketAddress socketAddress, Optional<PeerId> expected) {
    CompletableFuture<Connection> upgraded = new CompletableFuture<>();
    transport
        .dial(socketAddress, initializer(Direction.OUTBOUND, expected, upgraded))
        .whenComplete(
            (channel, error) -> {
              if (error != null) {
                upgraded.completeExceptionally(
                    new java.net.ConnectException(
                        "dial " + address + " failed: " + error.getMessage()));
              }
            });
    return upgraded;
  }

  private ChannelInitializer<SocketChannel> initializer(
      Direction direction, Optional<PeerId> expected, CompletableFuture<Connection> outcome) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        if (direction == Direction.INBOUND && !connections.hasRoomForInbound()) {
          LOG.info(
              "refusing inbound connection from {}: inbound limit reached",
              channel.remoteAddress());
          channel.close();
          return;
        }
        HostConnection connection =
            new HostConnection(channel, direction, protocols, config.streamNegotiationTimeout());
        connections.upgrading(connection);
        upgrader
            .upgrade(channel, direction, expected, session -> connection.inboundStreamInitializer())
            .whenComplete(
                (up, error) -> {
                  if (error != null) {
                    connections.upgradeFailed(connection);
                    LOG.debug(
                        "{} connection {} failed: {}",
                        direction.wireName(),
                        channel.remoteAddress(),
                        error.getMessage());
                    if (outcome != null) {
                      outcome.completeExceptionally(error);
                    }
                    return;
                  }
                  PeerId remote = up.session().remotePeerId();
                  Optional<String> denied =
                      gater.deny(remote, connection.remoteAddress(), direction);
                  if (denied.isPresent()) {
                    // Checked before the connection is registered, so no PeerConnected is seen.
                    connections.upgradeFailed(connection);
                    LOG.info(
                        "closing {} connection {} from {}: {}",
                        direction.wireName(),
                        remote,
                        connection.remoteAddress(),
                        denied.get());
                    channel.close();
                    if (outcome != null) {
                      outcome.completeExceptionally(
                          new ConnectionDeniedException(remote, denied.get()));
                    }
                    return;
                  }
                  try {
                    Connection kept = established(connection, up);
                    if (outcome != null) {
                      outcome.complete(kept);
                    }
                  } catch (RuntimeException e) {
                    LOG.warn("could not register connection {}", connection, e);
                    channel.close();
                    if (outcome != null) {
                      outcome.completeExceptionally(e);
                    }
                  }
                });
      }
    };
  }

  private Connection established(HostConnection connection, UpgradedChannel up) {
    connection.attach(up);
    PeerId remote = up.session().remotePeerId();
    peerStore.putPublicKey(remote, up.session().remotePublicKey());
    if (connection.direction() == Direction.OUTBOUND) {
      peerStore.addAddresses(remote, List.of(connection.remoteAddress()));
    }
    return connections.established(connection);
  }

  @Override
  public CompletableFuture<Connection> connect(PeerId peer) {
    Optional<Connection> existing = connection(peer);
    if (existing.isPresent()) {
      return CompletableFuture.completedFuture(existing.get());
    }
    List<Multiaddr> addresses = peerStore.addresses(peer);
    if (addresses.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no known address for " + peer));
    }
    return dialInTurn(peer, addresses, 0, null);
  }

  private CompletableFuture<Connection> dialInTurn(
      PeerId peer, List<Multiaddr> addresses, int index, Throwable last) {
    if (index >= addresses.size()) {
      return CompletableFuture.failedFuture(
          new java.net.ConnectException(
              "could not reach "
                  + peer
                  + " at "
                  + addresses
                  + ": "
                  + (last == null ? "" : last.getMessage())));
    }
    Multiaddr address = addresses.get(index).withP2p(peer.toBytes());
    return dial(address)
        .handle(
            (c, e) ->
                e == null
                    ? CompletableFuture.completedFuture(c)
                    : dialInTurn(peer, addresses, index + 1, e))
        .thenCompose(f -> f);
  }

  @Override
  public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocolIds) {
    return connect(peer).thenCompose(c -> c.newStream(protocolIds));
  }

  @Override
  public void setStreamHandler(String protocolId, StreamHandler handler) {
    protocols.put(protocolId, handler);
  }

  @Override
  public void removeStreamHandler(String protocolId) {
    protocols.remove(protocolId);
  }

  @Override
  public Set<String> protocols() {
    return protocols.protocols();
  }

  @Override
  public List<Connection> connections() {
    return connections.all();
  }

  @Override
  public Optional<Connection> connection(PeerId peer) {
    return connections.get(peer);
  }

  @Override
  public ConnectionManager connectionManager() {
    return connections;
  }

  @Override
  public void setConnectionGater(ConnectionGater connectionGater) {
    this.gater = Objects.requireNonNull(connectionGater);
  }

  @Override
  public PeerStore peerStore() {
    return peerStore;
  }

  @Override
  public void publish(NetworkEvent event) {
    events.publish(Objects.requireNonNull(event));
  }

  @Override
  public Subscription subscribe(NetworkEventListener listener) {
    return events.subscribe(listener);
  }

  @Override
  public CompletableFuture<Void> stop() {
    if (!stopped.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(
        () -> {
          List<CompletableFuture<Void>> closing = new ArrayList<>();
          listeners.forEach(l -> closing.add(toFuture(l.close())));
          connections.all().forEach(c -> closing.add(c.close()));
          connections.upgradingChannels().forEach(ch -> closing.add(toFuture(ch.close())));
          try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                .get(HostConnection.GRACE.toSeconds() + 1, java.util.concurrent.TimeUnit.SECONDS);
          } catch (Exception e) {
            LOG.warn("connections did not close in time: {}", e.toString());
          }
          transport.close();
          resolver.close();
          events.close();
        });
  }

  private static CompletableFuture<Void> toFuture(io.netty.channel.ChannelFuture f) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    f.addListener(x -> result.complete(null));
    return result;
  }

  @Override
  public String toString() {
    return "Host[" + peerId + " " + listenAddresses + "]";
  }
}
