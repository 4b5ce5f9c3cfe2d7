package io.meshwork.networking.host;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Direction;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamHandler;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multistream.MultistreamDialer;
import io.meshwork.networking.multistream.MultistreamListener;
import io.meshwork.networking.multistream.NegotiationListener;
import io.meshwork.networking.mux.yamux.YamuxStreamChannel;
import io.meshwork.networking.transport.UpgradedChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection of this host: the upgraded TCP channel and its Yamux session. Created when the TCP
 * channel is set up and {@link #attach attached} once the upgrade finished; streams the peer opens
 * are negotiated against the host's {@link ProtocolRegistry}.
 */
final class HostConnection implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(HostConnection.class);
  private static final AtomicLong IDS = new AtomicLong();
  static final Duration GRACE = Duration.ofSeconds(5);

  private final String id = "c" + IDS.incrementAndGet();
  private final Channel channel;
  private final Direction direction;
  private final ProtocolRegistry protocols;
  private final Duration negotiationTimeout;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile UpgradedChannel upgraded;

  HostConnection(
      Channel channel,
      Direction direction,
      ProtocolRegistry protocols,
      Duration negotiationTimeout) {
    this.channel = channel;
    this.direction = direction;
    this.protocols = protocols;
    this.negotiationTimeout = negotiationTimeout;
    channel.closeFuture().addListener(f -> closeFuture.complete(null));
  }

  void attach(UpgradedChannel upgradedChannel) {
    this.upgraded = upgradedChannel;
  }

  UpgradedChannel upgraded() {
    return upgraded;
  }

  /** The handler set up on every stream the peer opens. */
  ChannelHandler inboundStreamInitializer() {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel streamChannel) {
        YamuxStreamChannel stream = (YamuxStreamChannel) streamChannel;
        stream
            .pipeline()
            .addLast(
                "protocol-negotiation",
                new MultistreamListener(
                    protocols::supports,
                    negotiationTimeout,
                    new NegotiationListener() {
                      @Override
                      public void selected(ChannelHandlerContext ctx, String protocol) {
                        serve(stream, ctx, protocol);
                      }

                      @Override
                      public void failed(Throwable cause) {
                        LOG.debug(
                            "{}: inbound stream negotiation failed: {}", id, cause.toString());
                      }
                    }));
      }
    };
  }

  private void serve(YamuxStreamChannel streamChannel, ChannelHandlerContext ctx, String protocol) {
    StreamHandler handler = protocols.handler(protocol).orElse(null);
    if (handler == null) { // removed while negotiating
      streamChannel.reset();
      return;
    }
    ChannelStream stream = new ChannelStream(streamChannel, this, protocol, Direction.INBOUND);
    stream.attach(ctx);
    try {
      handler.handle(stream);
    } catch (RuntimeException e) {
      LOG.warn("{}: handler for {} failed; resetting the stream", id, protocol, e);
      streamChannel.reset();
    }
  }

  @Override
  public CompletableFuture<Stream> newStream(List<String> protocolIds) {
    CompletableFuture<Stream> result = new CompletableFuture<>();
    UpgradedChannel up = upgraded;
    if (up == null || !channel.isActive()) {
      result.completeExceptionally(new java.nio.channels.ClosedChannelException());
      return result;
    }
    boolean lazy = false;
    ChannelHandler initializer =
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel streamChannel) {
            YamuxStreamChannel yamuxStream = (YamuxStreamChannel) streamChannel;
            streamChannel
                .pipeline()
                .addLast(
                    "protocol-negotiation",
                    new MultistreamDialer(
                        protocolIds,
                        lazy,
                        negotiationTimeout,
                        new NegotiationListener() {
                          @Override
                          public void selected(ChannelHandlerContext ctx, String protocol) {
                            ChannelStream stream =
                                new ChannelStream(
                                    yamuxStream, HostConnection.this, protocol, Direction.OUTBOUND);
                            stream.attach(ctx);
                            result.complete(stream);
                          }

                          @Override
                          public void failed(Throwable cause) {
                            result.completeExceptionally(cause);
                          }
                        }));
          }
        };
    up.muxer()
        .openStream(initializer)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public PeerId remotePeerId() {
    return upgraded.session().remotePeerId();
  }

  @Override
  public Multiaddr remoteAddress() {
    return Multiaddr.fromSocketAddress((java.net.InetSocketAddress) channel.remoteAddress());
  }

  @Override
  public Multiaddr localAddress() {
    return Multiaddr.fromSocketAddress((java.net.InetSocketAddress) channel.localAddress());
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public String security() {
    return UpgradedChannel.SECURITY;
  }

  @Override
  public String muxer() {
    return UpgradedChannel.MUXER;
  }

  /** How the muxer was agreed: inside the Noise handshake or by multistream-select. */
  String muxerNegotiation() {
    return upgraded.muxerNegotiation();
  }

  @Override
  public int streamCount() {
    UpgradedChannel up = upgraded;
    return up == null ? 0 : up.muxer().activeStreams();
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  /**
   * Closes gracefully: sends GoAway so the peer opens no new streams, lets the open streams finish
   * for up to {@link #GRACE}, then closes the TCP connection.
   */
  @Override
  public CompletableFuture<Void> close() {
    UpgradedChannel up = upgraded;
    if (up == null || !channel.isActive()) {
      channel.close();
      return closeFuture;
    }
    channel
        .eventLoop()
        .execute(
            () -> {
              up.muxer().goAway();
              closeWhenIdle(up, System.nanoTime() + GRACE.toNanos());
            });
    return closeFuture;
  }

  private void closeWhenIdle(UpgradedChannel up, long deadline) {
    if (!channel.isActive()) {
      return;
    }
    if (up.muxer().activeStreams() == 0 || System.nanoTime() >= deadline) {
      channel.close();
      return;
    }
    channel.eventLoop().schedule(() -> closeWhenIdle(up, deadline), 20, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  Channel channel() {
    return channel;
  }

  @Override
  public String toString() {
    UpgradedChannel up = upgraded;
    return id
        + "["
        + direction.wireName()
        + " "
        + (up == null ? "upgrading" : up.session().remotePeerId())
        + " "
        + channel.remoteAddress()
        + "]";
  }
}
