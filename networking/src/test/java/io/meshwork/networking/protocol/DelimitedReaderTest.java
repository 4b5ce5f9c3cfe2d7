package io.meshwork.networking.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DelimitedReaderTest {
  private final List<byte[]> messages = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();
  private boolean ended;

  private DelimitedReader reader(int max) {
    return new DelimitedReader(
        max,
        new DelimitedReader.Handler() {
          @Override
          public void onMessage(byte[] message) {
            messages.add(message);
          }

          @Override
          public void onEnd() {
            ended = true;
          }

          @Override
          public void onError(Throwable cause) {
            errors.add(cause);
          }
        });
  }

  @Property(tries = 50)
  void readsMessagesWhateverTheChunking(
      @ForAll @Size(max = 5) List<@Size(max = 300) byte[]> sent,
      @ForAll @IntRange(min = 1, max = 64) int chunk) {
    messages.clear();
    errors.clear();
    DelimitedReader reader = reader(1024);
    ByteBuffer wire = ByteBuffer.allocate(sent.stream().mapToInt(m -> m.length + 9).sum());
    sent.forEach(m -> wire.put(DelimitedReader.frame(m)));
    wire.flip();
    while (wire.hasRemaining()) {
      ByteBuffer piece = wire.slice();
      piece.limit(Math.min(chunk, wire.remaining()));
      wire.position(wire.position() + piece.limit());
      reader.onData(piece);
    }
    assertThat(errors).isEmpty();
    assertThat(messages).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      assertThat(messages.get(i)).isEqualTo(sent.get(i));
    }
  }

  @Test
  void refusesAMessageLongerThanTheLimitBeforeBufferingIt() {
    DelimitedReader reader = reader(100);
    reader.onData(ByteBuffer.wrap(new byte[] {(byte) 0xe5, 0x07})); // 997
    assertThat(errors)
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessageContaining("exceeds the limit of 100"));
    reader.onData(ByteBuffer.wrap(new byte[50]));
    assertThat(messages).isEmpty();
  }

  @Test
  void refusesALengthPrefixThatNeverEnds() {
    DelimitedReader reader = reader(100);
    byte[] endless = new byte[12];
    java.util.Arrays.fill(endless, (byte) 0xff);
    reader.onData(ByteBuffer.wrap(endless));
    assertThat(errors).singleElement().isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void reportsAStreamThatEndsInsideAMessage() {
    DelimitedReader reader = reader(100);
    reader.onData(ByteBuffer.wrap(new byte[] {5, 1, 2}));
    reader.onEndOfStream();
    assertThat(ended).isFalse();
    assertThat(errors)
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessageContaining("ended inside a message"));
  }

  @Test
  void deliversAnEmptyMessageAndACleanEnd() {
    DelimitedReader reader = reader(100);
    reader.onData(ByteBuffer.wrap(new byte[] {0}));
    reader.onEndOfStream();
    assertThat(messages).singleElement().satisfies(m -> assertThat(m).isEmpty());
    assertThat(ended).isTrue();
  }
}
