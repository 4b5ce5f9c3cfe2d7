package io.meshwork.networking.transport;

import io.meshwork.networking.multiformats.Multiaddr;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens and dials TCP with Netty. Owns its event loop group; {@link #close()} shuts it down.
 *
 * <p>Native epoll is used when Netty can load it (Linux), NIO otherwise. Thread-safe.
 */
public final class TcpTransport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> socketChannelType;
  private final Class<? extends ServerChannel> serverChannelType;
  private final Duration connectTimeout;

  public TcpTransport(int threads, Duration connectTimeout) {
    IoHandlerFactory ioHandler;
    if (Epoll.isAvailable()) {
      ioHandler = EpollIoHandler.newFactory();
      socketChannelType = EpollSocketChannel.class;
      serverChannelType = EpollServerSocketChannel.class;
    } else {
      LOG.debug("native epoll unavailable ({}); using NIO", Epoll.unavailabilityCause().toString());
      ioHandler = NioIoHandler.newFactory();
      socketChannelType = NioSocketChannel.class;
      serverChannelType = NioServerSocketChannel.class;
    }
    this.group = new MultiThreadIoEventLoopGroup(threads, ioHandler);
    this.connectTimeout = connectTimeout;
  }

  /** Binds {@code address}; every accepted channel is set up by {@code initializer}. */
  public CompletableFuture<Channel> listen(
      InetSocketAddress address, ChannelInitializer<SocketChannel> initializer) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(serverChannelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, false)
            .childHandler(initializer);
    return toFuture(bootstrap.bind(address));
  }

  /** Connects to {@code address}; the channel is set up by {@code initializer}. */
  public CompletableFuture<Channel> dial(
      InetSocketAddress address, ChannelInitializer<SocketChannel> initializer) {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(socketChannelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            .handler(initializer);
    return toFuture(bootstrap.connect(address));
  }

  public EventLoopGroup eventLoopGroup() {
    return group;
  }

  /** The multiaddr of a bound or connected socket address. */
  public static Multiaddr toMultiaddr(java.net.SocketAddress address) {
    return Multiaddr.fromSocketAddress((InetSocketAddress) address);
  }

  private static CompletableFuture<Channel> toFuture(ChannelFuture channelFuture) {
    CompletableFuture<Channel> result = new CompletableFuture<>();
    channelFuture.addListener(
        f -> {
          if (f.isSuccess()) {
            result.complete(channelFuture.channel());
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
