package io.github.loomresult;

/**
 * How a task enters its nursery and how every task that never ran to its end on its own thread is
 * booked: the one way in ({@link #launch}: counted, registered, admitted by its limiters, started),
 * and the ways out before or instead of running (no thread, a closed nursery, a failing clock, a
 * withdrawal from a limiter's queue). Whatever happens after a task is counted, it is ended and
 * booked as finished exactly once, so the nursery's counts stay balanced and nothing hangs.
 *
 * <p>Static methods over the nursery's parts (its {@link TaskRegistry}, {@link CancelScope}, {@link
 * TaskThreads}, limiter and carrier), like {@link TaskControl} over the capture's fields: a task
 * start costs no object beyond the capture (and its admission, when limiters apply).
 */
final class TaskLaunch {
  private TaskLaunch() {}

  /**
   * Counts, registers and starts {@code capture}: the one way a task enters a nursery.
   *
   * @throws IllegalStateException if the capture was already started, or the nursery is closed
   */
  static <T> ResultCapture<T> launch(
      Nursery nursery, ResultCapture<T> capture, boolean isBackground) {
    if (!capture.claim()) {
      throw new IllegalStateException(capture.describeForMessage() + " was already started");
    }
    ContextCarrier carrier = nursery.carrier;
    if (carrier != null) {
      capture.carryContext(carrier); // on the starting thread, at the start call
    }
    TaskRegistry registry = nursery.registry;
    if (!registry.count(isBackground)) {
      IllegalStateException refused =
          new IllegalStateException(
              "nursery '" + nursery.name() + "' is closed to new arrivals: it has finished");
      capture.failUnstarted(refused);
      throw refused;
    }
    // From here on the task is counted: whatever is thrown before it has a thread or a place in a
    // limiter's queue (a StackOverflowError, an OutOfMemoryError, a failing clock), it is ended and
    // booked, so the counts stay balanced.
    boolean registered = false;
    boolean admitted;
    try {
      capture.nursery = nursery;
      capture.launchedAs(registry.nextSequence(), isBackground);
      Limiter shared = nursery.limiter;
      Limiter own = capture.limiter();
      if (own != null || (shared != null && !isBackground)) {
        // volatile: stored only when there is a limiter
        capture.extras().admission =
            Admission.of(nursery, capture, own, isBackground ? null : shared);
      }
      if (TaskObservers.any) {
        Observability.taskStarted(capture, nursery);
      }
      registry.push(capture); // publishes the fields above to whoever walks the registry
      registered = true;
      // After the push (Dekker, see CancelScope): a canceller that set its flag before this read
      // is seen here; one that sets it after will find the task in the registry.
      if (nursery.scope.cancelsNewTasks()) {
        TaskControl.requestCancel(capture);
      }
      Admission admission = capture.admission();
      // Takes the slots it can (giving them back if a clock fails), or queues, or is ended at once
      // when a cancellation came while it was being queued.
      admitted = admission == null || admission.advance() == Admission.ADMITTED;
    } catch (RuntimeException | Error e) {
      abandon(nursery, capture, isBackground, registered, e);
      throw e;
    }
    if (admitted) {
      nursery.threads.start(capture, false);
    }
    return capture;
  }

  /** Ends a counted task that got neither a thread nor a place in a queue, and books it. */
  private static void abandon(
      Nursery nursery,
      ResultCapture<?> capture,
      boolean isBackground,
      boolean registered,
      Throwable error) {
    try {
      capture.failUnstarted(error);
    } finally {
      if (registered) {
        finished(nursery, capture);
      } else {
        nursery.registry.uncount(isBackground);
      }
    }
  }

  /**
   * A task ended on its thread, which exits next: gives back its slots, and books the task as
   * finished with that thread to join.
   */
  static void ended(Nursery nursery, ResultCapture<?> capture) {
    Admission admission = capture.admission();
    try {
      if (admission != null) {
        admission.releaseOnEnd();
      }
    } finally {
      nursery.registry.finished(capture, Thread.currentThread(), true);
    }
  }

  /** Starts a queued task once its limiters admitted it; see {@link TaskThreads}. */
  static void startDispatched(Nursery nursery, ResultCapture<?> capture, Admission admission) {
    nursery.threads.startDispatched(capture, admission);
  }

  /**
   * Ends a task that a limiter's queue let through but that cannot go on (the clock of its next
   * limiter failed, and it holds no slot now): the error fails the task and the nursery.
   */
  static void failDispatched(Nursery nursery, ResultCapture<?> capture, Throwable failure) {
    try {
      capture.failUnstarted(failure);
      nursery.recordFailure(failure); // before the task is booked as finished, so join() sees it
    } finally {
      finished(nursery, capture);
    }
  }

  /** Ends a task that a cancellation took out of its limiter's queue, before it began. */
  static void endWithdrawn(Nursery nursery, ResultCapture<?> capture) {
    capture.cancelQueued();
    finished(nursery, capture);
  }

  /** Books a task (or the body) that ended off a thread of its own as finished. */
  static void finished(Nursery nursery, ResultCapture<?> capture) {
    nursery.registry.finished(capture, null, false);
  }
}
