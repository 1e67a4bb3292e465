package io.github.loomresult;

/** {@link LimiterClock#system()}: {@link System#nanoTime()} and the shared timer thread. */
enum SystemLimiterClock implements LimiterClock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void schedule(long delayNanos, Runnable action) {
    DeadlineTimer.schedule(Math.max(0, delayNanos), action);
  }

  @Override
  public String toString() {
    return "LimiterClock.system()";
  }
}
