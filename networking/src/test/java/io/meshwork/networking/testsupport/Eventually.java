package io.meshwork.networking.testsupport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for an assertion to hold, polling, instead of sleeping a fixed time. */
public final class Eventually {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private Eventually() {}

  public static void holds(Runnable assertion) {
    holds(TIMEOUT, assertion);
  }

  /** As {@link #holds(Runnable)}, for conditions that take longer (a network converging). */
  public static void holds(Duration timeout, Runnable assertion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
  }
}
