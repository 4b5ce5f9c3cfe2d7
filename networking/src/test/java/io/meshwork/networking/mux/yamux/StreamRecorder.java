package io.meshwork.networking.mux.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Records what a stream channel's pipeline sees; copies and releases every buffer. */
final class StreamRecorder extends ChannelInboundHandlerAdapter {
  final ByteArrayOutputStream data = new ByteArrayOutputStream();
  final List<Object> events = new ArrayList<>();
  final List<Throwable> errors = new ArrayList<>();
  int readCompletes;
  boolean inactive;

  /** An initializer that installs a fresh recorder per stream and remembers it. */
  static ChannelInitializer<Channel> installer(Map<Channel, StreamRecorder> recorders) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        StreamRecorder recorder = new StreamRecorder();
        recorders.put(ch, recorder);
        ch.pipeline().addLast(recorder);
      }
    };
  }

  static Map<Channel, StreamRecorder> newRegistry() {
    return new ConcurrentHashMap<>();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    data.writeBytes(bytes);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    readCompletes++;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    events.add(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    errors.add(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    inactive = true;
  }
}
