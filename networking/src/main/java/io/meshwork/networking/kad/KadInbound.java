package io.meshwork.networking.kad;

import io.meshwork.networking.core.Stream;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.kad.pb.KadProto;
import io.meshwork.networking.protocol.DelimitedReader;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves inbound {@code /ipfs/kad/1.0.0} streams for {@link KadDht}: reads uvarint-delimited
 * requests (at most {@link KadConfig#maxInboundMessageSize()} each), answers them with {@link
 * KadServer} on the DHT thread, in order, and resets the stream on a malformed request. At most
 * {@value #MAX_PENDING_INBOUND} requests wait for the DHT thread at once; beyond that the stream is
 * reset, so a flood cannot grow the queue.
 *
 * <p>Reader callbacks run on stream event loops; answers run on the DHT's executor.
 */
final class KadInbound {
  static final int MAX_PENDING_INBOUND = 256;
  private static final Logger LOG = LoggerFactory.getLogger(KadInbound.class);

  private final KadServer server;
  private final KadConfig config;
  private final Executor executor;
  private final LongSupplier nanoClock;
  private final AtomicInteger pendingInbound = new AtomicInteger();

  KadInbound(KadServer server, KadConfig config, Executor executor, LongSupplier nanoClock) {
    this.server = server;
    this.config = config;
    this.executor = executor;
    this.nanoClock = nanoClock;
  }

  /** Serves one inbound stream: any number of requests, answered in order (kad-dht spec). */
  void serve(Stream stream) {
    PeerId sender = stream.remotePeerId();
    stream.read(
        new DelimitedReader(
            config.maxInboundMessageSize(),
            new DelimitedReader.Handler() {
              @Override
              public void onMessage(byte[] body) {
                if (pendingInbound.incrementAndGet() > MAX_PENDING_INBOUND) {
                  pendingInbound.decrementAndGet();
                  LOG.debug("too many kad requests in progress; resetting a stream of {}", sender);
                  stream.reset();
                  return;
                }
                try {
                  executor.execute(() -> answer(stream, sender, body));
                } catch (RejectedExecutionException e) { // the DHT is closed
                  pendingInbound.decrementAndGet();
                  stream.reset();
                }
              }

              @Override
              public void onEnd() {
                try {
                  executor.execute(stream::close); // after the replies queued before it
                } catch (RejectedExecutionException e) {
                  stream.reset();
                }
              }

              @Override
              public void onError(Throwable cause) {
                LOG.debug("kad stream from {} failed: {}", sender, cause.getMessage());
                stream.reset();
              }
            }));
  }

  private void answer(Stream stream, PeerId sender, byte[] body) {
    try {
      KadProto.Message request = KadCodec.decode(body, config.maxInboundMessageSize());
      server
          .handle(sender, request, nanoClock.getAsLong())
          .ifPresent(
              reply ->
                  stream
                      .write(ByteBuffer.wrap(KadCodec.encodeDelimited(reply)))
                      .exceptionally(e -> log("kad reply to " + sender, e)));
    } catch (KadProtocolException e) {
      LOG.debug("bad kad request from {}: {}", sender, e.getMessage());
      stream.reset();
    } finally {
      pendingInbound.decrementAndGet();
    }
  }

  private static Void log(String what, Throwable error) {
    LOG.debug("kad {} failed: {}", what, error.toString());
    return null;
  }
}
