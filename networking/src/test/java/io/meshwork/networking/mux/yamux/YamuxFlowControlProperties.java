package io.meshwork.networking.mux.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** A sender and a receiver window joined by a network of in-flight Data and WindowUpdates. */
class YamuxFlowControlProperties {
  private static final int INITIAL = YamuxConfig.SPEC_INITIAL_WINDOW;
  private static final int MAX = 16 * INITIAL;

  /** op 0 send, 1 deliver data, 2 consume, 3 deliver update, 4 let time pass. */
  record Op(int kind, int amount) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.integers()
        .between(0, 4)
        .flatMap(
            kind -> Arbitraries.integers().between(0, 200_000).map(amount -> new Op(kind, amount)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(300);
  }

  @Property(tries = 500)
  void bytesInFlightNeverExceedTheWindowAndCreditFollowsConsumption(
      @ForAll("ops") List<Op> ops, @ForAll @LongRange(min = 0, max = 1_000_000) long rtt) {
    long[] now = {0};
    YamuxSendWindow sender = new YamuxSendWindow();
    YamuxReceiveWindow receiver = new YamuxReceiveWindow(INITIAL, MAX, () -> now[0]);
    ArrayDeque<Long> dataInFlight = new ArrayDeque<>();
    ArrayDeque<Long> updatesInFlight = new ArrayDeque<>();
    long consumed = 0;
    long credited = 0;
    for (Op op : ops) {
      switch (op.kind()) {
        case 0 -> {
          long bytes = Math.min(op.amount(), sender.available());
          sender.consume(bytes);
          dataInFlight.add(bytes);
        }
        case 1 -> {
          Long bytes = dataInFlight.poll();
          if (bytes != null) {
            assertThat(receiver.tryReceive(bytes)).as("peer within window").isTrue();
          }
        }
        case 2 -> {
          long bytes = Math.min(op.amount(), receiver.buffered());
          long delta = receiver.consume(bytes, rtt);
          if (bytes == 0) {
            assertThat(delta).as("no update without consumption").isZero();
          }
          if (delta > 0) {
            updatesInFlight.add(delta);
            credited += delta;
          }
          consumed += bytes;
        }
        case 3 -> {
          Long delta = updatesInFlight.poll();
          if (delta != null) {
            sender.credit(delta);
          }
        }
        default -> now[0] += op.amount() * 10L;
      }
      long inFlight = dataInFlight.stream().mapToLong(Long::longValue).sum();
      long updates = updatesInFlight.stream().mapToLong(Long::longValue).sum();
      // What the sender may still send plus what is on the way is exactly the receiver's credit.
      assertThat(sender.available() + inFlight + updates).isEqualTo(receiver.credit());
      assertThat(receiver.credit() + receiver.buffered()).isLessThanOrEqualTo(receiver.window());
      assertThat(receiver.window()).isBetween((long) INITIAL, (long) MAX);
      assertThat(credited).isLessThanOrEqualTo(consumed + receiver.window() - INITIAL);
    }
  }
}
