package io.meshwork.networking.mux.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class YamuxReceiveWindowTest {
  private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;
  private final long[] now = {0};

  @Test
  void rejectsDataBeyondTheCredit() {
    YamuxReceiveWindow window = new YamuxReceiveWindow(WINDOW, 4 * WINDOW, () -> now[0]);
    assertThat(window.tryReceive(WINDOW)).isTrue();
    assertThat(window.tryReceive(1)).isFalse();
    assertThat(window.buffered()).isEqualTo(WINDOW);
  }

  @Test
  void updatesOnceHalfTheWindowWasConsumed() {
    YamuxReceiveWindow window = new YamuxReceiveWindow(WINDOW, 4 * WINDOW, () -> now[0]);
    window.tryReceive(WINDOW);
    assertThat(window.consume(WINDOW / 2 - 1, 0)).isZero();
    assertThat(window.consume(1, 0)).isEqualTo(WINDOW / 2);
  }

  @Test
  void growsWhenTheWindowIsConsumedWithinFewRoundTrips() {
    YamuxReceiveWindow window = new YamuxReceiveWindow(WINDOW, 4 * WINDOW, () -> now[0]);
    window.tryReceive(WINDOW);
    now[0] = 1_000;
    assertThat(window.consume(WINDOW, 1_000)).isEqualTo(2L * WINDOW);
    assertThat(window.window()).isEqualTo(2L * WINDOW);
  }

  @Test
  void doesNotGrowForASlowReaderOrAnUnknownRtt() {
    YamuxReceiveWindow window = new YamuxReceiveWindow(WINDOW, 4 * WINDOW, () -> now[0]);
    window.tryReceive(WINDOW);
    now[0] = 10_000_000;
    assertThat(window.consume(WINDOW, 1_000)).isEqualTo(WINDOW);
    window.tryReceive(WINDOW);
    assertThat(window.consume(WINDOW, 0)).isEqualTo(WINDOW);
    assertThat(window.window()).isEqualTo(WINDOW);
  }

  @Test
  void neverGrowsPastTheMaximum() {
    YamuxReceiveWindow window = new YamuxReceiveWindow(WINDOW, 2 * WINDOW, () -> now[0]);
    for (int i = 0; i < 5; i++) {
      window.tryReceive(window.credit());
      window.consume(window.buffered(), 1_000_000);
    }
    assertThat(window.window()).isEqualTo(2L * WINDOW);
  }

  @Test
  void announcesALargerInitialWindowOnce() {
    YamuxReceiveWindow window = new YamuxReceiveWindow(2 * WINDOW, 2 * WINDOW, () -> now[0]);
    assertThat(window.initialDelta()).isEqualTo(WINDOW);
    assertThat(window.credit()).isEqualTo(2L * WINDOW);
  }
}
