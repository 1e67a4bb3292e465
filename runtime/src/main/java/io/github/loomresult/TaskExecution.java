package io.github.loomresult;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a capture's code runs on a thread: the capture becomes the thread's current task (on top of
 * whatever task ran there, which counts it in its {@code inlineDepth}), its cancellation is
 * activated for the call and deactivated after it, and the capture settles with what the code
 * returned or threw. The three ways in: the thread its nursery created for it ({@link
 * #runInNursery}), a caller's own thread ({@link ResultCapture#run()} of an unstarted capture), and
 * a nursery's body, which runs inline between {@link #enterInline} and {@link #leaveInline}.
 *
 * <p>Static methods over the capture's fields, like {@link TaskControl}: running a task costs no
 * object beyond its capture.
 */
final class TaskExecution {
  private TaskExecution() {}

  /** How {@link #execute} makes its capture the thread's current task. */
  private enum Entry {
    /** Whatever is current stays underneath: the thread's entry, restored afterwards. */
    LOOKUP,
    /** A thread the nursery created: nothing is current before; the thread's entry. */
    FRESH,
    /** A thread the nursery created, with the capture bound around the call (CurrentTask). */
    BOUND
  }

  /**
   * Whether this call of {@link ResultCapture#run()} is the first action of the thread its nursery
   * created for it: {@code runner} is set to that thread just before it starts (and nothing else
   * sets it before the task runs), and the task has not begun. The task's own code can never see
   * its capture pending, and no other thread is that thread, so nobody else gets in this way.
   */
  static boolean isItsThreadStarting(ResultCapture<?> c) {
    return c.runner == Thread.currentThread()
        && c.nursery != null
        && c.state() == TaskState.PENDING;
  }

  /**
   * Runs the task on a thread of its nursery, then tells the nursery; the thread then exits (it
   * never runs another task). {@code onOwnThread}: the thread is the one the nursery created for
   * this capture, so no other task is current on it (a thread factory's thread may run it
   * anywhere).
   */
  static void runInNursery(ResultCapture<?> c, boolean onOwnThread) {
    try {
      if (onOwnThread && CurrentTask.bindsTasks()) {
        CurrentTask.runBound(c, () -> execute(c, false, Entry.BOUND));
      } else {
        // A user's factory thread may run code of its own after ours: let an in-flight
        // cancellation interrupt land (and be absorbed) before it does.
        execute(c, !onOwnThread, onOwnThread ? Entry.FRESH : Entry.LOOKUP);
      }
    } finally {
      TaskLaunch.ended(Objects.requireNonNull(c.nursery), c);
    }
  }

  /** Runs a claimed, unstarted capture on the calling thread, which goes on afterwards. */
  static void runHere(ResultCapture<?> c) {
    execute(c, true, Entry.LOOKUP);
  }

  /**
   * Runs the task on the current thread and settles the capture. {@code threadGoesOn}: the thread
   * runs other code afterwards, so a cancellation interrupt still in flight must land, and be
   * absorbed, before the capture settles; a nursery's thread usually just exits (see {@link
   * TaskControl#deactivate}).
   */
  private static <T> void execute(ResultCapture<T> c, boolean threadGoesOn, Entry entry) {
    Thread me = Thread.currentThread();
    if (c.runner != me) { // the nursery assigned its own thread before starting it
      c.runner = me;
    }
    if (!TaskControl.activate(c, false)) {
      c.runner = null;
      c.settleCancelledBeforeStart();
      return;
    }
    c.markRunning();
    if (c.observation != null) {
      Observability.taskRunning(c);
    }
    ResultCapture<?> outer = entry == Entry.LOOKUP ? CurrentTask.get() : null;
    enterOnTopOf(outer);
    if (entry != Entry.BOUND) {
      CurrentTask.setEntry(c);
    }
    T value = null;
    Throwable failure = null;
    try {
      value = c.body.call();
    } catch (Throwable t) {
      failure = t;
    }
    if (entry != Entry.BOUND) {
      CurrentTask.setEntry(outer);
    }
    TaskControl.deactivate(c, outer, threadGoesOn);
    leftOnTopOf(outer);
    c.settle(value, failure);
  }

  /**
   * Makes {@code c} the running task of the current thread without a body to call: the nursery's
   * own body runs this way, between {@code open} and {@code join}.
   */
  static void enterInline(ResultCapture<?> c) {
    c.claim();
    enterOnTopOf(CurrentTask.get());
    c.runner = Thread.currentThread();
    c.markRunning();
    CurrentTask.setEntry(c);
    TaskControl.activate(c, true);
  }

  /** Ends what {@link #enterInline} began and settles {@code c} with the body's result. */
  static <T> void leaveInline(
      ResultCapture<T> c,
      @Nullable ResultCapture<?> outer,
      @Nullable T value,
      @Nullable Throwable failure) {
    CurrentTask.setEntry(outer);
    TaskControl.deactivate(c, outer, true);
    leftOnTopOf(outer);
    c.settle(value, failure);
  }

  private static void enterOnTopOf(@Nullable ResultCapture<?> outer) {
    if (outer != null) {
      outer.inlineDepth++; // only outer's own thread writes it
    }
  }

  /**
   * After {@link TaskControl#deactivate}: the inline capture's own interrupt is taken back by then.
   */
  private static void leftOnTopOf(@Nullable ResultCapture<?> outer) {
    if (outer != null) {
      outer.inlineDepth--;
    }
  }
}
