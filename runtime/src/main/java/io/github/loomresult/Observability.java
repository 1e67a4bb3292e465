package io.github.loomresult;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * The hook points of flight recorder events, the nursery tree and {@link TaskObserver}s: the core
 * (Nursery, ResultCapture, ResultBase, Limiter) calls these methods from a few places and knows
 * nothing else about observation. None of them throws: what an observer throws is reported (see
 * {@link TaskObservers#report}).
 *
 * <p>What the core pays while nothing observes: per nursery, a call to {@link #nurseryOpened} (a
 * flag, and an enabled check of the nursery event when {@code jdk.jfr} is present); per task start,
 * one read of {@link TaskObservers#any}; per task end, one read of the task's {@code observation}
 * field (null), and for failed and cancelled tasks an enabled check of their event.
 */
final class Observability {
  @SuppressWarnings("rawtypes") // the field's class is generic; the updater needs the raw class
  private static final AtomicReferenceFieldUpdater<ResultCapture, TaskObservation> OBSERVATION =
      AtomicReferenceFieldUpdater.newUpdater(
          ResultCapture.class, TaskObservation.class, "observation");

  private Observability() {}

  // ---- nurseries --------------------------------------------------------------------------

  /** A nursery opened: its probe, if the tree or a flight recording watches it, else null. */
  static @Nullable NurseryProbe nurseryOpened(Nursery nursery) {
    Object flightEvent = OptionalModules.JFR ? FlightEvents.nurseryOpened() : null;
    if (flightEvent == null && !NurseryTree.isEnabled()) {
      return null;
    }
    NurseryProbe probe = new NurseryProbe(flightEvent);
    if (NurseryTree.isEnabled()) {
      NurseryTree.add(nursery, probe);
    }
    return probe;
  }

  /** A nursery's last task ended and it is about to report (on its owner's thread). */
  static void nurseryEnded(Nursery nursery, NurseryProbe probe) {
    NurseryTree.remove(probe);
    Object flightEvent = probe.flightEvent;
    if (flightEvent != null) {
      try {
        FlightEvents.nurseryEnded(
            flightEvent,
            nursery.name(),
            parentName(nursery),
            NurseryView.tasksStarted(nursery),
            NurseryView.endKind(nursery));
      } catch (RuntimeException | Error e) { // a flight recorder failure must not fail the nursery
        TaskObservers.report(e);
      }
    }
  }

  static @Nullable String parentName(Nursery nursery) {
    ResultCapture<?> parent = NurseryView.parentTask(nursery);
    if (parent == null) {
      return null;
    }
    Nursery outer = parent.nursery;
    return (outer == null ? "" : outer.name() + "/") + parent.name();
  }

  /** A nursery's deadline expired and it is being cancelled for it. */
  static void deadlineExpired(Nursery nursery, boolean fails) {
    if (OptionalModules.JFR && FlightEvents.deadlineExpiredEnabled()) {
      int running = 0;
      for (ResultCapture<?> task : NurseryView.liveTasks(nursery)) {
        if (!task.isDone()) {
          running++;
        }
      }
      FlightEvents.deadlineExpired(nursery.name(), fails, running);
    }
  }

  // ---- tasks ------------------------------------------------------------------------------

  /** A task was handed to its nursery: called only when {@link TaskObservers#any}. */
  static void taskStarted(ResultCapture<?> task, Nursery nursery) {
    TaskObserver[] observers = TaskObservers.current();
    if (observers.length == 0) {
      return; // the last one went away meanwhile
    }
    task.observation = new TaskObservation(observers, System.nanoTime());
    for (TaskObserver o : observers) {
      try {
        o.started(task, nursery);
      } catch (Throwable t) { // observers are user code
        TaskObservers.report(t);
      }
    }
  }

  /** A task's code begins on the current thread: called only when it has an observation. */
  static void taskRunning(ResultCapture<?> task) {
    TaskObservation seen = task.observation;
    Nursery nursery = task.nursery;
    if (seen == null || nursery == null) {
      return;
    }
    long now = System.nanoTime();
    seen.runningAt = now;
    for (TaskObserver o : seen.observers) {
      try {
        o.running(task, nursery, now - seen.startedAt);
      } catch (Throwable t) {
        TaskObservers.report(t);
      }
    }
  }

  /**
   * {@code cancel()} was called on a task: remembers when, if anyone will ask (an observer of the
   * task, or a recording of cancelled tasks).
   */
  static void taskCancelRequested(ResultCapture<?> task) {
    TaskObservation seen = task.observation;
    if (seen == null) {
      if (!OptionalModules.JFR || !FlightEvents.taskCancelledEnabled()) {
        return;
      }
      OBSERVATION.compareAndSet(task, null, new TaskObservation(TaskObservers.NONE, 0));
      seen = task.observation;
      if (seen == null) {
        return;
      }
    }
    if (seen.cancelRequestedAt == 0) {
      seen.cancelRequestedAt = System.nanoTime();
    }
  }

  /**
   * A task ended with {@code state}; {@code value} is its exception unless it succeeded. Called by
   * {@link ResultBase#completeWith} when the task failed or was cancelled, or has an observation;
   * before anyone waiting for the task is woken.
   */
  static void taskCompleted(ResultCapture<?> task, TaskState state, @Nullable Object value) {
    try {
      TaskObservation seen = task.observation;
      long now = System.nanoTime();
      if (OptionalModules.JFR && state != TaskState.SUCCEEDED) {
        flightEvent(task, state, value, seen, now);
      }
      Nursery nursery = task.nursery;
      if (seen == null || seen.observers.length == 0 || nursery == null) {
        return;
      }
      long ran = seen.runningAt == 0 ? 0 : now - seen.runningAt;
      for (TaskObserver o : seen.observers) {
        try {
          switch (state) {
            case SUCCEEDED -> o.succeeded(task, nursery, ran);
            case FAILED -> o.failed(task, nursery, (Throwable) value, ran);
            default -> o.cancelled(task, nursery, ran);
          }
        } catch (Throwable t) {
          TaskObservers.report(t);
        }
      }
    } catch (Throwable t) { // the handle completes whatever happens here
      TaskObservers.report(t);
    }
  }

  private static void flightEvent(
      ResultCapture<?> task,
      TaskState state,
      @Nullable Object value,
      @Nullable TaskObservation seen,
      long now) {
    Nursery nursery = task.nursery;
    String nurseryName = nursery == null ? null : nursery.name();
    if (state == TaskState.FAILED) {
      FlightEvents.taskFailed(nurseryName, task.name(), (Throwable) value);
    } else if (FlightEvents.taskCancelledEnabled()) {
      long requested = seen == null ? 0 : seen.cancelRequestedAt;
      String reason;
      if (requested != 0) {
        reason = "cancel() of the task";
      } else if (nursery != null) {
        reason = NurseryView.cancelReason(nursery);
        requested = NurseryView.cancelRequestedAt(nursery);
      } else {
        reason = "cancel() of the task";
      }
      FlightEvents.taskCancelled(
          nurseryName, task.name(), reason, requested == 0 ? 0 : Math.max(0, now - requested));
    }
  }

  // ---- limiters ---------------------------------------------------------------------------

  /** A queued task got its slot after waiting since {@code queuedAt} (System.nanoTime()). */
  static void limiterWaited(
      Limiter limiter, Nursery nursery, ResultCapture<?> task, long queuedAt) {
    try {
      long waited = Math.max(0, System.nanoTime() - queuedAt);
      if (OptionalModules.JFR) {
        FlightEvents.limiterWaited(
            Diagnostics.limiter(limiter), nursery.name(), task.name(), waited);
      }
      TaskObservation seen = task.observation;
      if (seen != null) {
        for (TaskObserver o : seen.observers) {
          try {
            o.queued(task, nursery, limiter, waited);
          } catch (Throwable t) {
            TaskObservers.report(t);
          }
        }
      }
    } catch (Throwable t) { // the task starts whatever happens here
      TaskObservers.report(t);
    }
  }
}
