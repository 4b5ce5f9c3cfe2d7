package io.meshwork.networking.transport;

import io.meshwork.networking.core.Direction;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.multistream.MultistreamDialer;
import io.meshwork.networking.multistream.MultistreamListener;
import io.meshwork.networking.multistream.NegotiationListener;
import io.meshwork.networking.mux.yamux.YamuxHandler;
import io.meshwork.networking.security.noise.NoiseHandshakeHandler;
import io.meshwork.networking.security.noise.NoiseRole;
import io.meshwork.networking.security.noise.SecureSession;
import io.meshwork.networking.security.noise.SecureSessionListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Upgrades a raw TCP channel: multistream-select {@code /noise}, the Noise handshake, then Yamux
 * (specs {@code connections/README.md}). Each step installs the next from its completion callback
 * on the event loop, so bytes that arrive in the same segment as the end of a step reach the next
 * one.
 *
 * <p>{@link #upgrade} must be called before the channel is active (from a channel initializer). The
 * returned future completes on the channel's event loop; on failure the channel is closed.
 */
public final class ConnectionUpgrader {
  private final PrivateKey identity;
  private final UpgradeConfig config;

  public ConnectionUpgrader(PrivateKey identity, UpgradeConfig config) {
    this.identity = identity;
    this.config = config;
  }

  public UpgradeConfig config() {
    return config;
  }

  /**
   * Installs the upgrade on {@code channel}.
   *
   * @param expectedPeer for outbound connections, the peer we mean to reach
   * @param inboundStreams given the secured session, the handler that sets up each stream the peer
   *     opens
   */
  public CompletableFuture<UpgradedChannel> upgrade(
      Channel channel,
      Direction direction,
      Optional<PeerId> expectedPeer,
      Function<SecureSession, ChannelHandler> inboundStreams) {
    Upgrade upgrade = new Upgrade(channel, direction, expectedPeer, inboundStreams);
    upgrade.start();
    return upgrade.result;
  }

  private final class Upgrade {
    private final Channel channel;
    private final Direction direction;
    private final Optional<PeerId> expectedPeer;
    private final Function<SecureSession, ChannelHandler> inboundStreams;
    private final CompletableFuture<UpgradedChannel> result = new CompletableFuture<>();
    private ScheduledFuture<?> timeout;

    Upgrade(
        Channel channel,
        Direction direction,
        Optional<PeerId> expectedPeer,
        Function<SecureSession, ChannelHandler> inboundStreams) {
      this.channel = channel;
      this.direction = direction;
      this.expectedPeer = expectedPeer;
      this.inboundStreams = inboundStreams;
    }

    void start() {
      NegotiationListener security =
          new NegotiationListener() {
            @Override
            public void selected(ChannelHandlerContext ctx, String protocol) {
              startHandshake(ctx);
            }

            @Override
            public void failed(Throwable cause) {
              fail("security negotiation failed", cause);
            }
          };
      if (direction == Direction.OUTBOUND) {
        channel
            .pipeline()
            .addLast(
                "security-negotiation",
                new MultistreamDialer(
                    List.of(UpgradedChannel.SECURITY),
                    false,
                    config.negotiationTimeout(),
                    security));
      } else {
        channel
            .pipeline()
            .addLast(
                "security-negotiation",
                new MultistreamListener(
                    UpgradedChannel.SECURITY::equals, config.negotiationTimeout(), security));
      }
      channel.closeFuture().addListener(f -> fail("connection closed during upgrade", null));
      channel
          .eventLoop()
          .execute(
              () ->
                  timeout =
                      channel
                          .eventLoop()
                          .schedule(
                              () ->
                                  fail("upgrade took longer than " + config.upgradeTimeout(), null),
                              config.upgradeTimeout().toMillis(),
                              TimeUnit.MILLISECONDS));
    }

    private void startHandshake(ChannelHandlerContext ctx) {
      List<String> muxers =
          config.earlyMuxerNegotiation() ? List.of(UpgradedChannel.MUXER) : List.of();
      NoiseRole role = direction == Direction.OUTBOUND ? NoiseRole.INITIATOR : NoiseRole.RESPONDER;
      ctx.pipeline()
          .addAfter(
              ctx.name(),
              "noise",
              new NoiseHandshakeHandler(
                  role,
                  identity,
                  expectedPeer,
                  muxers,
                  config.handshakeTimeout(),
                  new SecureSessionListener() {
                    @Override
                    public void established(ChannelHandlerContext noiseCtx, SecureSession session) {
                      if (session.earlyMuxer().filter(UpgradedChannel.MUXER::equals).isPresent()) {
                        installMuxer(noiseCtx, session, "noise-extension");
                      } else {
                        negotiateMuxer(noiseCtx, session);
                      }
                    }

                    @Override
                    public void failed(Throwable cause) {
                      fail("noise handshake failed", cause);
                    }
                  }));
    }

    private void negotiateMuxer(ChannelHandlerContext ctx, SecureSession session) {
      NegotiationListener muxer =
          new NegotiationListener() {
            @Override
            public void selected(ChannelHandlerContext muxCtx, String protocol) {
              installMuxer(muxCtx, session, "multistream");
            }

            @Override
            public void failed(Throwable cause) {
              fail("muxer negotiation failed", cause);
            }
          };
      ChannelHandler negotiator =
          direction == Direction.OUTBOUND
              ? new MultistreamDialer(
                  List.of(UpgradedChannel.MUXER), false, config.negotiationTimeout(), muxer)
              : new MultistreamListener(
                  UpgradedChannel.MUXER::equals, config.negotiationTimeout(), muxer);
      ctx.pipeline().addAfter(ctx.name(), "muxer-negotiation", negotiator);
    }

    private void installMuxer(ChannelHandlerContext ctx, SecureSession session, String how) {
      YamuxHandler yamux =
          new YamuxHandler(
              direction == Direction.OUTBOUND, config.yamux(), inboundStreams.apply(session));
      ctx.pipeline().addAfter(ctx.name(), "yamux", yamux);
      if (timeout != null) {
        timeout.cancel(false);
      }
      result.complete(new UpgradedChannel(channel, session, yamux, how));
    }

    private void fail(String step, Throwable cause) {
      if (result.isDone()) {
        return;
      }
      String reason = cause == null ? step : step + ": " + cause.getMessage();
      result.completeExceptionally(new UpgradeException(reason, cause));
      if (timeout != null) {
        timeout.cancel(false);
      }
      channel.close();
    }
  }
}
