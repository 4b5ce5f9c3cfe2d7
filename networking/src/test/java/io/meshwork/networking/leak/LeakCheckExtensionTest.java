package io.meshwork.networking.leak;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

class LeakCheckExtensionTest {

  @Test
  void runsTestsWithTheParanoidLeakDetector() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }

  @Test
  void recordsABufferThatIsNeverReleased() {
    leakOneBuffer();
    var leaks = LeakRecorder.collectLeaks();
    assertThat(leaks).anySatisfy(leak -> assertThat(leak).contains("was not released"));
  }

  private static void leakOneBuffer() {
    ByteBuf leaked = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
    leaked.writeLong(42);
  }
}
