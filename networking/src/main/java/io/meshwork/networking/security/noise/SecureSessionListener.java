package io.meshwork.networking.security.noise;

import io.netty.channel.ChannelHandlerContext;

/**
 * Told by {@link NoiseHandshakeHandler} how its handshake ended; exactly one of the two methods is
 * called, once, on the channel's event loop.
 */
public interface SecureSessionListener {
  /**
   * Called on the event loop once the handshake succeeded, BEFORE any decrypted application bytes
   * are passed on; the implementation adds the next handlers after ctx (e.g. {@code
   * ctx.pipeline().addAfter(ctx.name(), ...)}). {@code ctx} is the context of the {@link
   * NoiseTransportCodec}. Write through {@code ctx.channel()} or through the added handlers: {@code
   * ctx.write} itself starts below the codec and would bypass encryption.
   */
  void established(ChannelHandlerContext ctx, SecureSession session);

  /**
   * Called once if the handshake failed (bad signature, wrong peer id, timeout, malformed message,
   * AEAD failure); the channel is closed by the handler. The cause is usually a {@link
   * NoiseHandshakeException}.
   */
  void failed(Throwable cause);
}
