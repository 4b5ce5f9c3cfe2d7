package io.meshwork.networking.pubsub;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;

/**
 * Encodes and decodes gossipsub RPCs (pubsub spec, "The RPC"). On the wire each RPC is prefixed by
 * its length as an unsigned varint; RPCs larger than {@code maxRpcSize} are refused both ways
 * (spec: 1 MiB). Unknown fields are ignored. Stateless and thread-safe.
 */
public final class RpcCodec {
  private final int maxRpcSize;

  public RpcCodec(int maxRpcSize) {
    this.maxRpcSize = maxRpcSize;
  }

  public int maxRpcSize() {
    return maxRpcSize;
  }

  /** Decodes one RPC body (without its length prefix). */
  public RPC decode(byte[] body) {
    if (body.length > maxRpcSize) {
      throw new RpcFormatException(
          "RPC of " + body.length + " bytes exceeds the limit of " + maxRpcSize);
    }
    try {
      return RPC.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new RpcFormatException("malformed RPC: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes one RPC body from the readable bytes of {@code body}. Does not release {@code body}:
   * the caller keeps ownership.
   */
  public RPC decode(ByteBuf body) {
    int size = body.readableBytes();
    if (size > maxRpcSize) {
      throw new RpcFormatException("RPC of " + size + " bytes exceeds the limit of " + maxRpcSize);
    }
    try {
      return RPC.parseFrom(new ByteBufInputStream(body.duplicate()));
    } catch (InvalidProtocolBufferException e) {
      throw new RpcFormatException("malformed RPC: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new RpcFormatException("malformed RPC: " + e.getMessage(), e);
    }
  }

  /** The RPC body bytes, without length prefix. */
  public byte[] encode(RPC rpc) {
    checkSize(rpc.getSerializedSize());
    return rpc.toByteArray();
  }

  /** A new buffer holding varint length ‖ RPC; the caller owns (and must release) it. */
  public ByteBuf encodeDelimited(RPC rpc, ByteBufAllocator allocator) {
    int size = rpc.getSerializedSize();
    checkSize(size);
    ByteBuf out = allocator.buffer(Varint.size(size) + size);
    try {
      Varint.write(size, out);
      CodedOutputStream cos = CodedOutputStream.newInstance(new ByteBufOutputStream(out), size);
      rpc.writeTo(cos);
      cos.flush();
      return out;
    } catch (IOException | RuntimeException e) {
      out.release();
      throw new IllegalStateException("cannot encode RPC", e);
    }
  }

  private void checkSize(int size) {
    if (size > maxRpcSize) {
      throw new IllegalArgumentException(
          "RPC of " + size + " bytes exceeds the limit of " + maxRpcSize);
    }
  }
}
