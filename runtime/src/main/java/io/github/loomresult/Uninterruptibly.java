package io.github.loomresult;

/**
 * Waits that must not be cut short by an interrupt (the thing waited for is already on its way: a
 * thread that is only returning, a task that was just cancelled). An interrupt that arrives
 * meanwhile is kept: the interrupt status is set again when the wait is over.
 */
final class Uninterruptibly {
  /** A blocking wait that may throw {@link InterruptedException}. */
  @FunctionalInterface
  interface Wait {
    void await() throws InterruptedException;
  }

  private Uninterruptibly() {}

  static void await(Wait wait) {
    boolean interrupted = false;
    while (true) {
      try {
        wait.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  static void join(Thread thread) {
    await(thread::join);
  }
}
