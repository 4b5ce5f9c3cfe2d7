package io.meshwork.networking.kad;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.kad.pb.KadProto;
import io.meshwork.networking.protocol.DelimitedReader;
import io.meshwork.networking.protocol.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Outbound DHT requests, one per stream as go and js do (kad-dht spec, "RPC messages": open a
 * stream, send the request, read the reply, close). Each request has {@link
 * KadConfig#requestTimeout()}; a failure or timeout resets the stream.
 *
 * <p>Thread-safe; futures complete on a stream event loop or the timeout thread, so callers hop to
 * their own thread.
 */
final class KadRpc {
  private final Host host;
  private final KadConfig config;

  KadRpc(Host host, KadConfig config) {
    this.host = host;
    this.config = config;
  }

  /**
   * Sends {@code request} to {@code peer} (connecting with the peer store's addresses if needed).
   * Completes with the reply, or empty if {@code expectReply} is false (ADD_PROVIDER).
   */
  CompletableFuture<Optional<KadProto.Message>> send(
      PeerId peer, KadProto.Message request, boolean expectReply) {
    CompletableFuture<Optional<KadProto.Message>> result =
        host.newStream(peer, List.of(KadDht.PROTOCOL_ID))
            .thenCompose(stream -> exchange(stream, request, expectReply));
    return result.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<Optional<KadProto.Message>> exchange(
      Stream stream, KadProto.Message request, boolean expectReply) {
    CompletableFuture<Optional<KadProto.Message>> reply = new CompletableFuture<>();
    reply.whenComplete(
        (message, error) -> {
          if (error != null) {
            stream.reset();
          }
        });
    if (expectReply) {
      stream.read(
          new DelimitedReader(
              config.maxInboundMessageSize(),
              new DelimitedReader.Handler() {
                @Override
                public void onMessage(byte[] body) {
                  try {
                    reply.complete(
                        Optional.of(KadCodec.decode(body, config.maxInboundMessageSize())));
                    stream.close();
                  } catch (KadProtocolException e) {
                    reply.completeExceptionally(e);
                  }
                }

                @Override
                public void onEnd() {
                  reply.completeExceptionally(
                      new ProtocolViolationException("kad stream closed without a reply"));
                }

                @Override
                public void onError(Throwable cause) {
                  reply.completeExceptionally(cause);
                }
              }));
    }
    stream
        .write(ByteBuffer.wrap(KadCodec.encodeDelimited(request)))
        .whenComplete(
            (v, error) -> {
              if (error != null) {
                reply.completeExceptionally(error);
              } else if (!expectReply) {
                stream.close();
                reply.complete(Optional.empty());
              }
            });
    return reply;
  }
}
