package io.meshwork.networking.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class MultistreamMessagePropertiesTest {

  @Property
  void decodingAnEncodedMessageGivesItBack(@ForAll("messages") MultistreamMessage message)
      throws Exception {
    ByteBuf buf = Unpooled.buffer();
    try {
      message.encode(buf);
      assertThat(buf.readableBytes()).isEqualTo(message.encodedLength());
      assertThat(MultistreamMessage.decode(buf)).contains(message);
      assertThat(buf.isReadable()).isFalse();
    } finally {
      buf.release();
    }
  }

  @Property
  void aMessageSplitAnywhereDecodesOnceItIsComplete(
      @ForAll("messages") MultistreamMessage message,
      @ForAll @IntRange(min = 0, max = 2000) int cut)
      throws Exception {
    byte[] wire = MultistreamMessageTest.bytes(message);
    int split = Math.min(cut, wire.length - 1);
    ByteBuf buf = Unpooled.buffer().writeBytes(wire, 0, split);
    try {
      assertThat(MultistreamMessage.decode(buf)).isEmpty();
      assertThat(buf.readerIndex()).isZero();
      buf.writeBytes(wire, split, wire.length - split);
      assertThat(MultistreamMessage.decode(buf)).contains(message);
    } finally {
      buf.release();
    }
  }

  @Property
  void arbitraryBytesAreDecodedRejectedOrAwaitedButNeverCrashTheDecoder(
      @ForAll @Size(max = 64) byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      Optional<MultistreamMessage> decoded = MultistreamMessage.decode(buf);
      if (decoded.isEmpty()) {
        assertThat(buf.readerIndex()).isZero();
      } else {
        assertThat(decoded.get().text()).doesNotContain("\n");
      }
    } catch (MultistreamProtocolException e) {
      assertThat(e.reason()).isEqualTo(MultistreamException.Reason.MALFORMED_MESSAGE);
    } finally {
      buf.release();
    }
  }

  @Provide
  Arbitrary<MultistreamMessage> messages() {
    // At most 3 UTF-8 bytes per char below the surrogates: 1 + 3 * 340 + 1 <= 1024.
    Arbitrary<MultistreamMessage> protocolIds =
        Arbitraries.strings()
            .withCharRange(' ', '\uD7FF')
            .ofMaxLength(340)
            .map(suffix -> MultistreamMessage.protocol("/" + suffix));
    Arbitrary<MultistreamMessage> astral =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMaxLength(20)
            .map(s -> MultistreamMessage.protocol("/\uD83D\uDE80/" + s));
    return Arbitraries.oneOf(
        protocolIds,
        astral,
        Arbitraries.of(MultistreamMessage.HEADER, MultistreamMessage.NA, MultistreamMessage.LS));
  }
}
