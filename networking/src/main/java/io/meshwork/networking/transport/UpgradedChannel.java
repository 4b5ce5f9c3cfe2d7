package io.meshwork.networking.transport;

import io.meshwork.networking.mux.yamux.YamuxHandler;
import io.meshwork.networking.security.noise.SecureSession;
import io.netty.channel.Channel;

/**
 * A TCP channel that is now secured and multiplexed.
 *
 * @param muxerNegotiation how the muxer was agreed: {@code "noise-extension"} or {@code
 *     "multistream"}
 */
public record UpgradedChannel(
    Channel channel, SecureSession session, YamuxHandler muxer, String muxerNegotiation) {
  public static final String SECURITY = "/noise";
  public static final String MUXER = "/yamux/1.0.0";
}
