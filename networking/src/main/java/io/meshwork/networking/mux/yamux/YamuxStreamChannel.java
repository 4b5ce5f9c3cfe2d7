package io.meshwork.networking.mux.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.util.internal.StringUtil;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One Yamux stream as a Netty child channel of the connection ({@link #parent()}), registered on
 * the connection's event loop.
 *
 * <p><b>Reading.</b> Data payloads reach the pipeline as {@link ByteBuf}s that the consumer
 * releases. Data is delivered when the channel reads ({@code autoRead}, or a {@link #read()} call,
 * which delivers what is buffered in one burst). Only delivered bytes are credited back to the peer
 * with a WindowUpdate, so with {@code autoRead} off and nobody reading, at most one receive window
 * is buffered and the peer stops sending. The peer's FIN fires {@link
 * ChannelInputShutdownEvent#INSTANCE} then {@link ChannelInputShutdownReadComplete#INSTANCE} after
 * the last data; the channel stays open for writing (half-closure is always allowed).
 *
 * <p><b>Writing.</b> Written {@link ByteBuf}s (the only accepted type; ownership passes to the
 * channel) are cut into Data frames no larger than the peer's window and the frame size limit. A
 * write promise completes when its last byte was handed to the connection. {@link #isWritable()} is
 * false while the peer's window is used up, while more than the write buffer high-water mark (64
 * KiB) waits here, or while the connection's socket is not writable; {@code
 * channelWritabilityChanged} fires on each transition. Bytes the window does not admit wait here.
 *
 * <p><b>Closing.</b> {@link #closeWrite()} flushes what was written and sends FIN after it; its
 * future completes when FIN is handed to the connection. {@link #close()} does the same and then
 * closes the channel: while written data still waits for the peer's window the channel stays open
 * (output shut down, reading goes on) and its close future completes once FIN is out, so a close
 * never drops or truncates data, even when called from the completion of the stream's last write.
 * Only aborts discard unsent data: {@link #reset()} sends RST; a close while received data lies
 * unread sends RST (as TCP does), so the peer learns its data was not consumed. A RST from the peer
 * fires {@code exceptionCaught} with {@link YamuxStreamResetException} and closes the channel. When
 * both sides have sent FIN and the FIN was read, the channel closes itself. When the connection
 * closes, all streams close: pending writes fail and buffered data is released. A close or
 * half-close whose FIN never went out (reset, connection closed) fails with {@link
 * ClosedChannelException}.
 *
 * <p>All state lives on the connection's event loop; public methods may be called from any thread.
 */
public final class YamuxStreamChannel extends AbstractChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
  private static final Object END_OF_INPUT = new Object();
  private static final int WINDOW_WRITABILITY = 1;
  private static final int PARENT_WRITABILITY = 2;

  private final YamuxHandler session;
  private final int streamId;
  private final int maxFrameData;
  private final ChannelConfig config =
      new DefaultChannelConfig(this) {
        @Override
        protected void autoReadCleared() {
          // Turning autoRead off also cancels a read() still waiting for data, as sockets do.
          readPending = false;
        }
      };
  private final YamuxSendWindow sendWindow = new YamuxSendWindow();
  private final YamuxReceiveWindow receiveWindow;
  private final ArrayDeque<Object> inbound = new ArrayDeque<>();
  private volatile long bufferedBytes;

  private boolean open = true;
  private boolean readPending;
  private boolean delivering;
  private boolean inDoWrite;
  private boolean resumeRequested;
  boolean readyQueued;
  private boolean finRequested;
  private boolean finSent;
  private boolean finReceived;
  private boolean inputShutdown;
  private boolean resetSent;
  private boolean resetReceived;
  private boolean sessionClosed;
  private ChannelPromise finPromise;

  /**
   * A {@link #close()} waiting for its FIN to follow data still unsent (see StreamUnsafe#close).
   */
  private ChannelPromise closeAfterFin;

  YamuxStreamChannel(
      YamuxHandler session,
      Channel parent,
      int streamId,
      YamuxReceiveWindow receiveWindow,
      int maxFrameData) {
    super(parent);
    this.session = session;
    this.streamId = streamId;
    this.receiveWindow = receiveWindow;
    this.maxFrameData = maxFrameData;
  }

  /** The Yamux stream id (unsigned 32-bit). */
  public int streamId() {
    return streamId;
  }

  /** Sends FIN once all data written so far is sent: a half-close of our side. */
  public ChannelFuture closeWrite() {
    ChannelPromise promise = newPromise();
    onLoop(() -> closeWrite0(promise));
    return promise;
  }

  /** Same as {@link #closeWrite()}, named like {@code DuplexChannel}. */
  public ChannelFuture shutdownOutput() {
    return closeWrite();
  }

  /** Whether our side sent, or is about to send, FIN. */
  public boolean isOutputShutdown() {
    return finRequested || !open;
  }

  /** Whether the peer's FIN was read. */
  public boolean isInputShutdown() {
    return inputShutdown || !open;
  }

  /** Sends RST, discards buffered data both ways and closes the channel. */
  public ChannelFuture reset() {
    ChannelPromise promise = newPromise();
    onLoop(
        () -> {
          if (open && !sessionClosed) {
            resetSent = true;
            session.writeStreamFrame(YamuxFrame.windowUpdate(streamId, YamuxFrame.RST, 0));
          }
          unsafe().close(promise);
        });
    return promise;
  }

  /** Received bytes not yet delivered to the pipeline; safe from any thread. */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /** Written bytes not yet handed to the connection; safe from any thread. */
  public long pendingWriteBytes() {
    ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  private void onLoop(Runnable task) {
    EventLoop loop = eventLoop();
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  // ---- frames from the session (event loop) ----

  long initialDelta() {
    return receiveWindow.initialDelta();
  }

  /** Handles a Data or WindowUpdate frame of this stream; takes ownership of it. */
  void onFrame(YamuxFrame frame) {
    if (!open) {
      onFrameAfterClose(frame);
      return;
    }
    if (frame.has(YamuxFrame.RST)) {
      // go-yamux puts an error code in the length of RST frames: never count it as credit.
      frame.release();
      resetReceived = true;
      pipeline().fireExceptionCaught(new YamuxStreamResetException(streamId, "reset by peer"));
      unsafe().close(unsafe().voidPromise());
      return;
    }
    if (frame.type() == YamuxFrameType.WINDOW_UPDATE) {
      sendWindow.credit(frame.length());
      updateWindowWritability();
      resumeWrite();
    } else if (!onPayload(frame.payload())) {
      return;
    }
    if (frame.has(YamuxFrame.FIN) && !finReceived) {
      finReceived = true;
      inbound.add(END_OF_INPUT);
      session.readReady(this);
    }
  }

  private boolean onPayload(ByteBuf payload) {
    int bytes = payload.readableBytes();
    if (bytes == 0) {
      payload.release();
      return true;
    }
    if (finReceived) {
      payload.release();
      session.protocolError("data after FIN on stream " + Integer.toUnsignedString(streamId));
      return false;
    }
    if (!receiveWindow.tryReceive(bytes)) {
      payload.release();
      session.protocolError(
          "stream "
              + Integer.toUnsignedString(streamId)
              + " overran its receive window: "
              + bytes
              + " bytes with "
              + receiveWindow.credit()
              + " credit");
      return false;
    }
    inbound.add(payload);
    bufferedBytes += bytes;
    session.readReady(this);
    return true;
  }

  /** Our side closed and keeps the id until the peer's FIN or RST, so late frames are known. */
  private void onFrameAfterClose(YamuxFrame frame) {
    boolean unwantedData = frame.payload().isReadable();
    boolean peerDone = frame.has(YamuxFrame.FIN) || frame.has(YamuxFrame.RST);
    frame.release();
    if (unwantedData && !peerDone) {
      // Nobody will read this stream any more: tell the peer to stop instead of crediting it.
      session.writeStreamFrame(YamuxFrame.windowUpdate(streamId, YamuxFrame.RST, 0));
      session.removeStream(this);
    } else if (peerDone) {
      session.removeStream(this);
    }
  }

  /** Delivers buffered data if the channel is reading; called by the session after a read. */
  void deliverPending() {
    readyQueued = false;
    readBurst();
  }

  void onSessionClosed() {
    sessionClosed = true;
    if (open) {
      unsafe().close(unsafe().voidPromise());
    }
  }

  void parentWritabilityChanged(boolean writable) {
    ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
    if (buffer != null) {
      buffer.setUserDefinedWritability(PARENT_WRITABILITY, writable);
    }
  }

  /** Resumes sending after a window update or when the connection became writable again. */
  void resumeWrite() {
    if (inDoWrite) {
      resumeRequested = true;
    } else if (open) {
      ((StreamUnsafe) unsafe()).resumeWrite();
    }
  }

  // ---- reading ----

  private boolean isReading() {
    return readPending || config.isAutoRead();
  }

  private void readBurst() {
    if (delivering) {
      return; // the loop below picks up read() calls made from inside the pipeline
    }
    delivering = true;
    try {
      while (open && isReading() && !inbound.isEmpty()) {
        readPending = false;
        long bytes = 0;
        boolean endOfInput = false;
        for (Object message; open && (message = inbound.poll()) != null; ) {
          if (message == END_OF_INPUT) {
            endOfInput = true;
            break;
          }
          ByteBuf data = (ByteBuf) message;
          int size = data.readableBytes();
          bytes += size;
          // Counted down before the pipeline runs: a handler closing the stream zeroes the count.
          bufferedBytes -= size;
          pipeline().fireChannelRead(data);
        }
        pipeline().fireChannelReadComplete();
        creditConsumed(bytes);
        if (endOfInput) {
          inputShutdown = true;
          pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
          pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
          if (finSent && open) {
            unsafe().close(unsafe().voidPromise());
          }
        }
      }
    } finally {
      delivering = false;
    }
  }

  private void creditConsumed(long bytes) {
    if (bytes == 0 || !open) {
      return;
    }
    long delta = receiveWindow.consume(bytes, session.rttNanos());
    if (delta > 0 && !finReceived) {
      session.writeStreamFrame(YamuxFrame.windowUpdate(streamId, 0, delta));
    }
  }

  @Override
  protected void doBeginRead() {
    readPending = true;
    readBurst();
  }

  // ---- writing ----

  @Override
  protected Object filterOutboundMessage(Object msg) throws Exception {
    if (finRequested) {
      throw new ChannelOutputShutdownException("yamux stream output was shut down");
    }
    if (msg instanceof ByteBuf) {
      return msg;
    }
    throw new UnsupportedOperationException(
        "yamux streams carry ByteBuf, not " + StringUtil.simpleClassName(msg));
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    inDoWrite = true;
    try {
      do {
        resumeRequested = false;
        if (writeFrames(in)) {
          // May drain the socket and, reentrantly, ask this stream to resume (see resumeWrite).
          session.flushSoon();
        }
      } while (resumeRequested && open);
    } finally {
      inDoWrite = false;
    }
    updateWindowWritability();
    maybeSendFin();
  }

  /** Frames queued bytes while window and connection allow; true if anything was written. */
  private boolean writeFrames(ChannelOutboundBuffer in) {
    boolean wrote = false;
    for (Object message; (message = in.current()) != null; ) {
      ByteBuf buf = (ByteBuf) message;
      if (!buf.isReadable()) {
        in.remove();
        continue;
      }
      if (!session.parentWritable()) {
        session.awaitParentWritability(this);
        break;
      }
      int bytes =
          (int) Math.min(Math.min(buf.readableBytes(), sendWindow.available()), maxFrameData);
      if (bytes == 0) {
        break; // a WindowUpdate resumes us
      }
      sendWindow.consume(bytes);
      session.writeFrame(YamuxFrame.data(streamId, 0, buf.readRetainedSlice(bytes)));
      wrote = true;
      if (buf.isReadable()) {
        in.progress(bytes);
      } else {
        in.remove();
      }
    }
    return wrote;
  }

  private void updateWindowWritability() {
    ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
    if (buffer != null) {
      buffer.setUserDefinedWritability(WINDOW_WRITABILITY, sendWindow.available() > 0);
    }
  }

  private void closeWrite0(ChannelPromise promise) {
    if (!finRequested && !open) {
      promise.setFailure(new ClosedChannelException());
      return;
    }
    completeWith(requestFin(), promise);
  }

  /** Asks for FIN after all data written so far, flushing it; the future completes on sending. */
  private ChannelFuture requestFin() {
    if (!finRequested) {
      finRequested = true;
      finPromise = newPromise();
      unsafe().flush();
      maybeSendFin();
    }
    return finPromise;
  }

  private void maybeSendFin() {
    ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
    if (!finRequested || finSent || !open || buffer == null || !buffer.isEmpty()) {
      return;
    }
    finSent = true;
    session.writeStreamFrame(YamuxFrame.windowUpdate(streamId, YamuxFrame.FIN, 0));
    finPromise.trySuccess();
    if (closeAfterFin != null) {
      unsafe().close(closeAfterFin); // completes it even if a listener above closed the channel
    } else if (inputShutdown) {
      unsafe().close(unsafe().voidPromise());
    }
  }

  private static void completeWith(ChannelFuture source, ChannelPromise target) {
    if (target.isVoid()) {
      return;
    }
    source.addListener(
        f -> {
          if (f.isSuccess()) {
            target.trySuccess();
          } else {
            target.tryFailure(f.cause());
          }
        });
  }

  // ---- channel plumbing ----

  @Override
  protected void doClose() {
    if (!open) {
      return;
    }
    open = false;
    long unread = 0;
    for (Object message; (message = inbound.poll()) != null; ) {
      if (message instanceof ByteBuf data) {
        unread += data.readableBytes();
        data.release();
      }
    }
    bufferedBytes = 0;
    // Unsent writes reach here only with an abort (StreamUnsafe#close lets a graceful close wait).
    if (sessionClosed || resetSent || resetReceived) {
      session.removeStream(this);
    } else if (unread > 0) {
      session.writeStreamFrame(YamuxFrame.windowUpdate(streamId, YamuxFrame.RST, 0));
      session.removeStream(this);
    } else {
      if (!finSent) {
        finSent = true;
        session.writeStreamFrame(YamuxFrame.windowUpdate(streamId, YamuxFrame.FIN, 0));
      }
      if (finReceived) {
        session.removeStream(this);
      }
    }
    if (!finSent) {
      ClosedChannelException cause = new ClosedChannelException();
      if (finPromise != null) {
        finPromise.tryFailure(cause);
      }
      if (closeAfterFin != null) {
        closeAfterFin.tryFailure(cause);
      }
    } else if (finPromise != null) {
      finPromise.trySuccess();
    }
  }

  @Override
  protected void doRegister() {
    // Writability events need the event loop, so the connection's state is mirrored only now.
    parentWritabilityChanged(parent().isWritable());
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new StreamUnsafe();
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return true;
  }

  @Override
  protected SocketAddress localAddress0() {
    return parent().localAddress();
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return parent().remoteAddress();
  }

  @Override
  protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("yamux streams cannot be bound");
  }

  @Override
  protected void doDisconnect() {
    doClose();
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  public String toString() {
    return "YamuxStream[" + Integer.toUnsignedString(streamId) + " of " + parent() + "]";
  }

  private final class StreamUnsafe extends AbstractUnsafe {
    @Override
    public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
      safeSetFailure(promise, new UnsupportedOperationException("yamux streams cannot connect"));
    }

    /**
     * A graceful close sends FIN after everything written, so data still waiting for the window
     * makes it wait too. Unsent data is told apart by the buffer being non-empty after a flush, not
     * by {@code totalPendingWriteBytes()}: inside a write's completion Netty still counts the write
     * that just completed there, which used to turn this close into a RST.
     */
    @Override
    public void close(ChannelPromise promise) {
      if (!open || finSent || sessionClosed || resetSent || resetReceived || bufferedBytes > 0) {
        super.close(promise); // nothing to send first, or an abort
        return;
      }
      if (closeAfterFin != null) {
        completeWith(closeAfterFin, promise);
        return;
      }
      ChannelOutboundBuffer buffer = outboundBuffer();
      flush(); // may complete writes whose listeners close this stream reentrantly
      if (!open || finSent || buffer == null || buffer.isEmpty()) {
        super.close(promise);
        return;
      }
      if (closeAfterFin == null) {
        closeAfterFin = newPromise();
        requestFin();
      }
      completeWith(closeAfterFin, promise);
    }

    void resumeWrite() {
      flush0();
    }
  }
}
