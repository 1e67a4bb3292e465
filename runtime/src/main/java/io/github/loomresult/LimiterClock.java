package io.github.loomresult;

/**
 * The time source of a {@link Limiter}'s rate limit: it reads the time and runs an action later.
 * The default is the system clock with the library's shared timer thread; tests inject a manual
 * clock so that rate limits can be checked exactly without waiting.
 *
 * <pre>{@code
 * Limiter perHost = Limiter.builder().maxPerSecond(10, 1).clock(LimiterClock.system()).build();
 * }</pre>
 */
public interface LimiterClock {
  /** The current time in nanoseconds, from an arbitrary origin, like {@link System#nanoTime()}. */
  long nanoTime();

  /** Runs {@code action} once, {@code delayNanos} from now by this clock, on any thread. */
  void schedule(long delayNanos, Runnable action);

  /** The system clock: {@link System#nanoTime()} and the library's shared timer thread. */
  static LimiterClock system() {
    return SystemLimiterClock.INSTANCE;
  }
}
