package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A bidirectional byte stream to a peer, multiplexed over a {@link Connection}, on which one
 * protocol has been agreed.
 *
 * <p>Writes are asynchronous and backpressured: {@link #write} hands the bytes to the muxer, which
 * sends them only as fast as the peer grants credit. A producer keeps writing while {@link
 * #isWritable()} and otherwise waits on {@link #whenWritable()}; nothing is buffered without bound.
 * The {@code ByteBuffer} passed to {@code write} must not be modified until its future completes.
 *
 * <p>All methods are thread-safe; callbacks run on the stream's event loop.
 */
public interface Stream {
  PeerId remotePeerId();

  Connection connection();

  /** The protocol agreed by multistream-select for this stream. */
  String protocolId();

  Direction direction();

  /** Queues bytes for sending; the future completes once the muxer has sent them on. */
  CompletableFuture<Void> write(ByteBuffer data);

  /** Whether the muxer will take more bytes without queueing past its bound. */
  boolean isWritable();

  /** Completes (on the event loop) once the stream is writable again, or at once if it is. */
  CompletableFuture<Void> whenWritable();

  /** Starts delivering received bytes to {@code reader}; may be called once. */
  void read(StreamReader reader);

  /** Stops delivering data (and granting credit to the peer) until {@link #resumeReading()}. */
  void pauseReading();

  void resumeReading();

  /** Half-closes: tells the peer we will write no more (Yamux FIN). Reading continues. */
  CompletableFuture<Void> closeWrite();

  /** Closes both directions gracefully. */
  CompletableFuture<Void> close();

  /** Aborts the stream in both directions (Yamux RST). */
  void reset();

  /** Completes when the stream is fully closed or reset. */
  CompletableFuture<Void> closeFuture();
}
