package io.github.loomresult;

import org.jspecify.annotations.Nullable;

/**
 * Which task the current thread is running: what nested nurseries, {@link Cancellation} and {@link
 * ResultCapture#run()} look up.
 *
 * <p>A task on the thread its nursery created for it is found in the {@link TaskThreadIndex}, keyed
 * by its thread: no object per task, where a {@code ScopedValue} binding around the task would cost
 * a carrier and a snapshot (56 B) and a {@code ThreadLocal} a map, a 16-slot table and a weak entry
 * (136 B, and a {@code WeakReference} for the collector to process), for every task thread, whether
 * or not its code ever looks: B1 and the parked tasks in {@code docs/BENCHMARKS.md}. An indexed
 * task is the current one while nothing runs inline on top of it and its code has not returned;
 * otherwise the thread-local entry is.
 *
 * <p>Everything else (a nursery's body on the caller's thread, a capture run by hand, a nursery
 * nested inside a task, a thread from a user's {@code ThreadFactory}) uses a {@code ThreadLocal}:
 * those run on threads that also run other code, on top of whatever task was current there.
 *
 * <p>The system property {@code io.github.loomresult.threadLocalOnly=true}, read once, keeps every
 * task on the {@code ThreadLocal}; the tests run both ways.
 */
final class CurrentTask {
  private static final ThreadLocal<@Nullable ResultCapture<?>> INLINE = new ThreadLocal<>();

  private static final boolean INDEXED =
      !Boolean.getBoolean("io.github.loomresult.threadLocalOnly");

  private CurrentTask() {}

  /** Whether tasks on their own threads are in the index ({@link #enter}) instead of registered. */
  static boolean indexesTasks() {
    return INDEXED;
  }

  /**
   * Makes {@code task} the current task of {@code thread}, the thread its nursery created for it
   * and the current one; only where {@link #indexesTasks()}. Ended by {@link #leave}.
   */
  static void enter(ResultCapture<?> task, Thread thread) {
    TaskThreadIndex.add(task, thread);
  }

  /**
   * Ends what {@link #enter} began, before the task's code is marked as returned. A capture run
   * inline on top of the task restores the task as the thread's entry when it ends; that entry goes
   * too, so that nothing is current on the thread once the task's code has returned (completion
   * callbacks run there). Removing an entry the thread never had reads one field.
   */
  static void leave(ResultCapture<?> task, Thread thread) {
    TaskThreadIndex.remove(task, thread);
    INLINE.remove();
  }

  /** The task the current thread is running, or null. */
  static @Nullable ResultCapture<?> get() {
    if (INDEXED) {
      ResultCapture<?> own = TaskThreadIndex.find(Thread.currentThread());
      if (own != null && own.isInnermostOnItsThread()) {
        return own;
      }
    }
    return INLINE.get();
  }

  /** Makes {@code task} (or, to restore, the outer one or null) the current thread's entry. */
  static void setEntry(@Nullable ResultCapture<?> task) {
    INLINE.set(task);
  }
}
