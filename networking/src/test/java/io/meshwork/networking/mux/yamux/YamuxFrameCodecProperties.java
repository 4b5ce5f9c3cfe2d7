package io.meshwork.networking.mux.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class YamuxFrameCodecProperties {

  /** A frame description without buffers, so jqwik can shrink it. */
  record FrameSpec(YamuxFrameType type, int flags, int streamId, long length, byte[] payload) {
    YamuxFrame toFrame() {
      return type == YamuxFrameType.DATA
          ? YamuxFrame.data(streamId, flags, Unpooled.wrappedBuffer(payload))
          : new YamuxFrame(type, flags, streamId, length, Unpooled.EMPTY_BUFFER);
    }
  }

  @Provide
  Arbitrary<List<FrameSpec>> frameLists() {
    return frames().list().ofMaxSize(20);
  }

  Arbitrary<FrameSpec> frames() {
    Arbitrary<YamuxFrameType> types = Arbitraries.of(YamuxFrameType.class);
    Arbitrary<Integer> flags = Arbitraries.integers().between(0, 0xFFFF);
    Arbitrary<Integer> ids = Arbitraries.integers();
    Arbitrary<Long> lengths = Arbitraries.longs().between(0, YamuxFrame.MAX_LENGTH);
    Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
    return Combinators.combine(types, flags, ids, lengths, payloads)
        .as(
            (type, f, id, length, payload) ->
                type == YamuxFrameType.DATA
                    ? new FrameSpec(type, f, id, payload.length, payload)
                    : new FrameSpec(type, f, id, length, new byte[0]));
  }

  @Property(tries = 300)
  void framesSurviveEncodeAndDecodeWhateverTheSegmentation(
      @ForAll("frameLists") List<FrameSpec> specs,
      @ForAll @IntRange(min = 1, max = 5000) int segmentSize) {
    EmbeddedChannel encoder = new EmbeddedChannel(new YamuxFrameEncoder());
    for (FrameSpec spec : specs) {
      encoder.writeOutbound(spec.toFrame());
    }
    ByteBuf wire = Unpooled.buffer();
    for (ByteBuf chunk; (chunk = encoder.readOutbound()) != null; ) {
      wire.writeBytes(chunk);
      chunk.release();
    }
    encoder.finishAndReleaseAll();

    EmbeddedChannel decoder = new EmbeddedChannel(new YamuxFrameDecoder(4096));
    while (wire.isReadable()) {
      decoder.writeInbound(wire.readRetainedSlice(Math.min(segmentSize, wire.readableBytes())));
    }
    wire.release();
    List<YamuxFrame> decoded = new ArrayList<>();
    for (YamuxFrame frame; (frame = decoder.readInbound()) != null; ) {
      decoded.add(frame);
    }
    try {
      assertThat(decoded).hasSize(specs.size());
      for (int i = 0; i < specs.size(); i++) {
        FrameSpec spec = specs.get(i);
        YamuxFrame frame = decoded.get(i);
        assertThat(frame.type()).isEqualTo(spec.type());
        assertThat(frame.flags()).isEqualTo(spec.flags());
        assertThat(frame.streamId()).isEqualTo(spec.streamId());
        assertThat(frame.length()).isEqualTo(spec.length());
        byte[] payload = new byte[frame.payload().readableBytes()];
        frame.payload().getBytes(frame.payload().readerIndex(), payload);
        assertThat(payload).isEqualTo(spec.payload());
      }
    } finally {
      decoded.forEach(YamuxFrame::release);
      decoder.finishAndReleaseAll();
    }
  }
}
