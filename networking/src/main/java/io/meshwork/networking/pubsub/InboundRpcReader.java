package io.meshwork.networking.pubsub;

import io.meshwork.networking.core.Stream;
import io.meshwork.networking.protocol.DelimitedReader;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a peer's inbound gossipsub stream: decodes each length-delimited RPC and hands it to the
 * router thread. At most {@code maxInFlight} RPCs of one peer wait for the router; beyond that the
 * stream stops being read (and the muxer stops granting the peer credit) until half have been
 * handled. A malformed or oversized RPC resets the stream. Called on the stream's event loop.
 */
final class InboundRpcReader implements DelimitedReader.Handler {
  private static final Logger log = LoggerFactory.getLogger(InboundRpcReader.class);

  private final Stream stream;
  private final RpcCodec codec;
  private final int maxInFlight;
  private final Consumer<Runnable> routerThread;
  private final Consumer<RPC> router;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param routerThread runs a task on the router thread
   * @param router handles one RPC (called on the router thread)
   */
  InboundRpcReader(
      Stream stream,
      RpcCodec codec,
      int maxInFlight,
      Consumer<Runnable> routerThread,
      Consumer<RPC> router) {
    this.stream = stream;
    this.codec = codec;
    this.maxInFlight = maxInFlight;
    this.routerThread = routerThread;
    this.router = router;
  }

  @Override
  public void onMessage(byte[] message) {
    RPC rpc;
    try {
      rpc = codec.decode(message);
    } catch (RpcFormatException e) {
      onError(e);
      return;
    }
    if (inFlight.incrementAndGet() >= maxInFlight) {
      stream.pauseReading();
    }
    routerThread.accept(
        () -> {
          router.accept(rpc);
          if (inFlight.decrementAndGet() == maxInFlight / 2) {
            stream.resumeReading();
          }
        });
  }

  @Override
  public void onEnd() {
    stream.close();
  }

  @Override
  public void onError(Throwable cause) {
    log.debug("gossipsub stream from {} failed: {}", stream.remotePeerId(), cause.toString());
    stream.reset();
  }
}
