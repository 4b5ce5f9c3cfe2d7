package io.meshwork.networking.security.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real Noise handshake over loopback TCP, then 64 MiB one way; prints the throughput. */
class NoiseLoopbackIT {
  private static final int CHUNK = 64 * 1024;
  private static final int CHUNKS = 1024; // 64 MiB
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

  @AfterEach
  void shutDown() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void handshakesOverTcpAndMoves64MebibytesIntact() throws Exception {
    PrivateKey serverKey = PrivateKey.generate(KeyType.ED25519);
    PrivateKey clientKey = PrivateKey.generate(KeyType.SECP256K1);
    byte[] pattern = new byte[CHUNK];
    new Random(64).nextBytes(pattern);
    CRC32 expectedCrc = new CRC32();
    for (int i = 0; i < CHUNKS; i++) {
      expectedCrc.update(pattern);
    }

    CompletableFuture<SecureSession> serverSession = new CompletableFuture<>();
    Receiver receiver = new Receiver((long) CHUNK * CHUNKS);
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
                            new NoiseHandshakeHandler(
                                NoiseRole.RESPONDER,
                                serverKey,
                                Optional.empty(),
                                List.of("/yamux/1.0.0"),
                                HANDSHAKE_TIMEOUT,
                                listener(serverSession, receiver)));
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();

    CompletableFuture<SecureSession> clientSession = new CompletableFuture<>();
    Sender sender = new Sender(pattern, CHUNKS);
    long handshakeStart = System.nanoTime();
    Channel client =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new NoiseHandshakeHandler(
                    NoiseRole.INITIATOR,
                    clientKey,
                    Optional.of(PeerId.fromPublicKey(serverKey.publicKey())),
                    List.of("/yamux/1.0.0"),
                    HANDSHAKE_TIMEOUT,
                    listener(clientSession, sender)))
            .connect(server.localAddress())
            .sync()
            .channel();
    try {
      assertThat(clientSession.get(30, TimeUnit.SECONDS).earlyMuxer()).hasValue("/yamux/1.0.0");
      assertThat(serverSession.get(30, TimeUnit.SECONDS).remotePeerId())
          .isEqualTo(PeerId.fromPublicKey(clientKey.publicKey()));
      long transferStart = System.nanoTime();
      System.out.printf(
          "Noise loopback handshake: %.1f ms%n", (transferStart - handshakeStart) / 1e6);

      long crc = receiver.done.get(120, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - transferStart) / 1e9;
      assertThat(crc).isEqualTo(expectedCrc.getValue());
      System.out.printf(
          "Noise loopback transfer, Java %s: %d MiB in %.2f s = %.0f MB/s%n",
          Runtime.version(),
          CHUNKS * CHUNK >> 20,
          seconds,
          CHUNKS * (double) CHUNK / 1e6 / seconds);
    } finally {
      client.close().sync();
      server.close().sync();
    }
  }

  private static SecureSessionListener listener(
      CompletableFuture<SecureSession> session, ChannelInboundHandlerAdapter application) {
    return new SecureSessionListener() {
      @Override
      public void established(ChannelHandlerContext ctx, SecureSession established) {
        ctx.pipeline().addAfter(ctx.name(), "application", application);
        session.complete(established);
      }

      @Override
      public void failed(Throwable cause) {
        session.completeExceptionally(cause);
      }
    };
  }

  /** Writes the pattern CHUNKS times, only while the channel is writable (no unbounded queue). */
  private static final class Sender extends ChannelInboundHandlerAdapter {
    private final byte[] pattern;
    private int remaining;

    Sender(byte[] pattern, int chunks) {
      this.pattern = pattern;
      this.remaining = chunks;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.executor().execute(() -> writeWhileWritable(ctx));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      writeWhileWritable(ctx);
      ctx.fireChannelWritabilityChanged();
    }

    private void writeWhileWritable(ChannelHandlerContext ctx) {
      while (remaining > 0 && ctx.channel().isWritable()) {
        ByteBuf chunk = ctx.alloc().buffer(pattern.length).writeBytes(pattern);
        remaining--;
        ctx.write(chunk);
      }
      ctx.flush();
    }
  }

  /** Counts and checksums what arrives; completes with the CRC once everything is there. */
  private static final class Receiver extends ChannelInboundHandlerAdapter {
    private final long expected;
    private final CRC32 crc = new CRC32();
    private long received;
    final CompletableFuture<Long> done = new CompletableFuture<>();

    Receiver(long expected) {
      this.expected = expected;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        received += buf.readableBytes();
        crc.update(buf.nioBuffer());
      } finally {
        buf.release();
      }
      if (received >= expected) {
        done.complete(crc.getValue());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
      ctx.close();
    }
  }
}
