package io.github.loomresult;

/**
 * Waits, in tests, until another thread is parked, so that an interrupt or a cancellation is known
 * to reach it while it blocks rather than before it got there.
 */
final class ThreadStates {
  private ThreadStates() {}

  /** Spins until {@code t} is WAITING or TIMED_WAITING; the caller knows it will get there. */
  static void awaitParked(Thread t) {
    while (true) {
      Thread.State s = t.getState();
      if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
        return;
      }
      if (s == Thread.State.TERMINATED) {
        throw new AssertionError(t + " terminated instead of blocking");
      }
      Thread.onSpinWait();
    }
  }
}
