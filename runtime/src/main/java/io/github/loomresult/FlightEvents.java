package io.github.loomresult;

import jdk.jfr.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Emits loomresult's flight recorder events. Loaded only when {@link OptionalModules#JFR} is true:
 * every caller checks that first, so a JDK image without {@code jdk.jfr} never loads this class or
 * the event classes.
 *
 * <p>Each method first asks the event's {@link EventType} whether a recording wants it, and
 * allocates nothing when none does.
 */
final class FlightEvents {
  private static final EventType NURSERY = EventType.getEventType(NurseryEvent.class);
  private static final EventType TASK_FAILED = EventType.getEventType(TaskFailedEvent.class);
  private static final EventType TASK_CANCELLED = EventType.getEventType(TaskCancelledEvent.class);
  private static final EventType LIMITER_WAIT = EventType.getEventType(LimiterWaitEvent.class);
  private static final EventType DEADLINE_EXPIRED =
      EventType.getEventType(DeadlineExpiredEvent.class);

  private FlightEvents() {}

  /** A begun nursery event if a recording wants one, else null. */
  static @Nullable Object nurseryOpened() {
    if (!NURSERY.isEnabled()) {
      return null;
    }
    NurseryEvent event = new NurseryEvent();
    event.begin();
    return event;
  }

  static void nurseryEnded(
      Object begun, String nursery, @Nullable String parent, int tasksStarted, String end) {
    NurseryEvent event = (NurseryEvent) begun;
    event.end();
    if (event.shouldCommit()) {
      event.nursery = nursery;
      event.parent = parent;
      event.tasksStarted = tasksStarted;
      event.end = end;
      event.commit();
    }
  }

  static boolean taskCancelledEnabled() {
    return TASK_CANCELLED.isEnabled();
  }

  static void taskFailed(@Nullable String nursery, String task, Throwable failure) {
    if (!TASK_FAILED.isEnabled()) {
      return;
    }
    TaskFailedEvent event = new TaskFailedEvent();
    if (event.shouldCommit()) {
      event.nursery = nursery;
      event.task = task;
      event.exceptionClass = failure.getClass();
      event.message = Diagnostics.message(failure);
      event.commit();
    }
  }

  static void taskCancelled(
      @Nullable String nursery, String task, String reason, long sinceRequestNanos) {
    if (!TASK_CANCELLED.isEnabled()) {
      return;
    }
    TaskCancelledEvent event = new TaskCancelledEvent();
    if (event.shouldCommit()) {
      event.nursery = nursery;
      event.task = task;
      event.reason = reason;
      event.sinceRequest = sinceRequestNanos;
      event.commit();
    }
  }

  static void limiterWaited(String limiter, String nursery, String task, long waitedNanos) {
    if (!LIMITER_WAIT.isEnabled()) {
      return;
    }
    LimiterWaitEvent event = new LimiterWaitEvent();
    if (event.shouldCommit()) {
      event.limiter = limiter;
      event.nursery = nursery;
      event.task = task;
      event.waited = waitedNanos;
      event.commit();
    }
  }

  static boolean deadlineExpiredEnabled() {
    return DEADLINE_EXPIRED.isEnabled();
  }

  static void deadlineExpired(String nursery, boolean fails, int tasksRunning) {
    DeadlineExpiredEvent event = new DeadlineExpiredEvent();
    if (event.shouldCommit()) {
      event.nursery = nursery;
      event.fails = fails;
      event.tasksRunning = tasksRunning;
      event.commit();
    }
  }
}
