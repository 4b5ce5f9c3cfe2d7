package io.meshwork.networking.mux.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;
import java.util.Objects;

/**
 * One Yamux frame: the 12-byte header (spec "Framing") and, for Data frames, its payload.
 *
 * <p>{@code length} is the unsigned 32-bit header field: the payload length for {@link
 * YamuxFrameType#DATA}, the window delta for {@link YamuxFrameType#WINDOW_UPDATE}, the opaque value
 * for {@link YamuxFrameType#PING} and the error code for {@link YamuxFrameType#GO_AWAY}. {@code
 * streamId} is the unsigned 32-bit stream id held in an {@code int}.
 *
 * <p>Ownership: a frame owns its payload; whoever holds a frame releases it once ({@link
 * #release()} releases the payload). Frames without payload hold {@link Unpooled#EMPTY_BUFFER}.
 *
 * @param flags bit set of {@link #SYN}, {@link #ACK}, {@link #FIN}, {@link #RST}
 */
public record YamuxFrame(YamuxFrameType type, int flags, int streamId, long length, ByteBuf payload)
    implements ReferenceCounted {

  /** Header size in bytes. */
  public static final int HEADER_LENGTH = 12;

  /** The only protocol version (spec "Version Field"). */
  public static final int VERSION = 0;

  /** Opens a stream; with Ping marks a request. */
  public static final int SYN = 0x1;

  /** Accepts a stream; with Ping marks a response. */
  public static final int ACK = 0x2;

  /** Half-closes the sender's side of a stream. */
  public static final int FIN = 0x4;

  /** Resets a stream immediately. */
  public static final int RST = 0x8;

  /** GoAway error code: normal termination. */
  public static final int GO_AWAY_NORMAL = 0;

  /** GoAway error code: protocol error. */
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;

  /** GoAway error code: internal error. */
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  /** Largest value of the unsigned 32-bit length field. */
  public static final long MAX_LENGTH = 0xFFFF_FFFFL;

  public YamuxFrame {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    if ((flags & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("flags are 16 bits: " + flags);
    }
    if (length < 0 || length > MAX_LENGTH) {
      throw new IllegalArgumentException("length is an unsigned 32-bit value: " + length);
    }
    if (type == YamuxFrameType.DATA && payload.readableBytes() != length) {
      throw new IllegalArgumentException(
          "data length " + length + " != payload " + payload.readableBytes());
    }
    if (type != YamuxFrameType.DATA && payload.isReadable()) {
      throw new IllegalArgumentException(type + " frames carry no payload");
    }
  }

  /** A Data frame carrying {@code payload} (ownership passes to the frame). */
  public static YamuxFrame data(int streamId, int flags, ByteBuf payload) {
    return new YamuxFrame(YamuxFrameType.DATA, flags, streamId, payload.readableBytes(), payload);
  }

  /** A WindowUpdate frame crediting {@code delta} bytes. */
  public static YamuxFrame windowUpdate(int streamId, int flags, long delta) {
    return new YamuxFrame(
        YamuxFrameType.WINDOW_UPDATE, flags, streamId, delta, Unpooled.EMPTY_BUFFER);
  }

  /** A Ping request ({@link #SYN}) or response ({@link #ACK}) with an opaque value. */
  public static YamuxFrame ping(int flags, long opaque) {
    return new YamuxFrame(YamuxFrameType.PING, flags, 0, opaque, Unpooled.EMPTY_BUFFER);
  }

  /** A GoAway frame with an error code. */
  public static YamuxFrame goAway(int code) {
    return new YamuxFrame(YamuxFrameType.GO_AWAY, 0, 0, code, Unpooled.EMPTY_BUFFER);
  }

  /** Whether all bits of {@code flag} are set. */
  public boolean has(int flag) {
    return (flags & flag) == flag;
  }

  /** Writes the 12-byte header into {@code out}. */
  public void encodeHeader(ByteBuf out) {
    out.writeByte(VERSION);
    out.writeByte(type.code());
    out.writeShort(flags);
    out.writeInt(streamId);
    out.writeInt((int) length);
  }

  @Override
  public int refCnt() {
    return payload.refCnt();
  }

  @Override
  public YamuxFrame retain() {
    payload.retain();
    return this;
  }

  @Override
  public YamuxFrame retain(int increment) {
    payload.retain(increment);
    return this;
  }

  @Override
  public YamuxFrame touch() {
    payload.touch();
    return this;
  }

  @Override
  public YamuxFrame touch(Object hint) {
    payload.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return payload.release();
  }

  @Override
  public boolean release(int decrement) {
    return payload.release(decrement);
  }

  @Override
  public String toString() {
    return "YamuxFrame["
        + type
        + " flags="
        + flags
        + " stream="
        + Integer.toUnsignedString(streamId)
        + " length="
        + length
        + "]";
  }
}
