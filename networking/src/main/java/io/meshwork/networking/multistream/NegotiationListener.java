package io.meshwork.networking.multistream;

import io.netty.channel.ChannelHandlerContext;

/**
 * Told the outcome of a negotiation run by {@link MultistreamDialer} or {@link
 * MultistreamListener}. Both methods are called on the channel's event loop.
 *
 * <p>Usually {@link #selected} is called, or {@link #failed}, once. The one exception is a lazy
 * dialer: it reports {@link #selected} at once, and may then report {@link #failed} if the listener
 * answers {@code na} or misbehaves before echoing the protocol.
 */
public interface NegotiationListener {
  /**
   * On the event loop, once {@code protocol} is agreed and BEFORE any surplus inbound bytes are
   * passed on. Install the next handlers after ctx ({@code ctx.pipeline().addAfter(ctx.name(),
   * ...)}). The negotiator removes itself right after this returns (a lazy dialer: once the
   * listener's echo has been read).
   */
  void selected(ChannelHandlerContext ctx, String protocol);

  /**
   * Once, on failure (no common protocol, malformed message, timeout, channel closed early). The
   * cause is a {@link MultistreamException} unless {@link #selected} itself threw. The negotiator
   * closes the channel.
   */
  void failed(Throwable cause);
}
