package io.github.loomresult;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer thread for the deadlines of every nursery in the JVM, so a deadline never costs a
 * thread per nursery. The thread is a platform daemon thread (a virtual timer could be starved by
 * tasks that hog the carriers) and exits after a second without deadlines.
 */
final class DeadlineTimer {
  static final String THREAD_NAME = "loomresult-deadline-timer";

  private static final ScheduledThreadPoolExecutor TIMER = create();

  private DeadlineTimer() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name(THREAD_NAME).daemon(true).factory());
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(1, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    return timer;
  }

  static ScheduledFuture<?> schedule(long delayNanos, Runnable action) {
    return TIMER.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
  }
}
