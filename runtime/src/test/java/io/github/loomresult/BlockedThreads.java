package io.github.loomresult;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Handshakes on thread states, for tests that must know a thread is parked (in {@code waitDone},
 * {@code start}, a latch) before they go on. Waiting for a state is ordering by observation, not by
 * a guess of how long something takes.
 */
final class BlockedThreads {
  /** How long a test task blocks when only cancellation may end it. */
  static final Duration FOREVER = Duration.ofDays(1);

  private static final Duration LIMIT = Duration.ofSeconds(20);

  private BlockedThreads() {}

  /** Returns once {@code thread} is parked or waiting; fails after a generous limit. */
  static void awaitBlocked(Thread thread) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      Thread.State state = thread.getState();
      if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
        return;
      }
      if (state == Thread.State.TERMINATED) {
        throw new AssertionError(thread + " ended instead of blocking");
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(thread + " did not block within " + LIMIT + ": " + state);
      }
      Thread.yield();
    }
  }

  /** Returns once {@code condition} holds; fails after a generous limit. */
  static void awaitCondition(BooleanSupplier condition) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition never became true within " + LIMIT);
      }
      Thread.yield();
    }
  }
}
