package io.meshwork.networking.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both handlers over real TCP on 127.0.0.1, so channelActive and flushes behave as in production.
 */
class MultistreamLoopbackIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void shutDown() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void lazyDialerGetsAnEchoFromTheListenersApplication() throws Exception {
    assertRoundTrip(true, List.of("/echo/1.0.0"));
  }

  @Test
  void dialerFallsBackToItsSecondChoiceOverTcp() throws Exception {
    assertRoundTrip(false, List.of("/missing/1.0.0", "/echo/1.0.0"));
  }

  private void assertRoundTrip(boolean lazy, List<String> protocols) throws Exception {
    CompletableFuture<String> listenerSelected = new CompletableFuture<>();
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new MultistreamListener(
                                "/echo/1.0.0"::equals,
                                TIMEOUT,
                                new Outcome(listenerSelected, new Echo())));
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    try {
      CompletableFuture<String> dialerSelected = new CompletableFuture<>();
      CompletableFuture<String> reply = new CompletableFuture<>();
      Channel client =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new MultistreamDialer(
                      protocols, lazy, TIMEOUT, new Outcome(dialerSelected, new Greeter(reply))))
              .connect(server.localAddress())
              .sync()
              .channel();

      assertThat(dialerSelected.get(5, TimeUnit.SECONDS)).isEqualTo("/echo/1.0.0");
      assertThat(listenerSelected.get(5, TimeUnit.SECONDS)).isEqualTo("/echo/1.0.0");
      assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("hello");
      client.close().sync();
    } finally {
      server.close().sync();
    }
  }

  /** Completes a future with the agreed protocol and installs the application handler. */
  private record Outcome(CompletableFuture<String> selected, ChannelInboundHandlerAdapter app)
      implements NegotiationListener {
    @Override
    public void selected(ChannelHandlerContext ctx, String protocol) {
      ctx.pipeline().addAfter(ctx.name(), "app", app);
      selected.complete(protocol);
    }

    @Override
    public void failed(Throwable cause) {
      selected.completeExceptionally(cause);
    }
  }

  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }
  }

  /** Writes "hello" as soon as it is installed; completes with the first 5 bytes read back. */
  private static final class Greeter extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<String> reply;
    private final ByteBuf received = Unpooled.buffer();

    Greeter(CompletableFuture<String> reply) {
      this.reply = reply;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      received.release();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        received.writeBytes(buf);
      } finally {
        buf.release();
      }
      if (received.readableBytes() >= 5) {
        reply.complete(received.toString(StandardCharsets.US_ASCII));
      }
    }
  }
}
