package io.github.loomresult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What observation reads of a nursery ({@link Observability}, {@link NurseryTree}, {@link
 * Nursery#toString()}): where it sits, how many tasks it started and which are still there, and how
 * it was cancelled or ended. Read-only: nothing here changes the nursery, and everything is read
 * without a lock, exact when nothing starts or finishes meanwhile. Static methods over the
 * nursery's parts, so that a nursery nobody observes pays nothing for it.
 */
final class NurseryView {
  private NurseryView() {}

  /** The task {@code nursery} was opened in, or null. */
  static @Nullable ResultCapture<?> parentTask(Nursery nursery) {
    return nursery.parentTask;
  }

  /** Whether an expired deadline makes it throw (else it moves on). */
  static boolean failsOnTimeout(Nursery nursery) {
    return nursery.failOnTimeout;
  }

  /** How many tasks were started in it (the body not counted). */
  static int tasksStarted(Nursery nursery) {
    return nursery.registry.launched();
  }

  /**
   * The tasks in its registry, the body first, then by start order: unfinished ones, and finished
   * ones not swept yet. Read without a lock, like a cancellation walk.
   */
  static List<ResultCapture<?>> liveTasks(Nursery nursery) {
    TaskRegistry registry = nursery.registry;
    Set<ResultCapture<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<ResultCapture<?>> tasks = new ArrayList<>();
    for (ResultCapture<?> c = registry.first(); c != null; c = registry.successor(c)) {
      if (seen.add(c)) { // a walk restarted by a sweep meets some nodes twice
        tasks.add(c);
      }
    }
    tasks.sort(Comparator.comparingInt(ResultCapture::sequence));
    return tasks;
  }

  /** Its state for a dump: open or cancelled, and whether the body still runs. */
  static String stateForDump(Nursery nursery) {
    if (TaskRegistry.closed(nursery.registry.counts())) {
      return "closed";
    }
    CancelScope scope = nursery.scope;
    return (scope.isCancelled() ? "cancelled, " : "open, ")
        + (scope.isBodyEnded() ? "waiting for its tasks" : "body running");
  }

  /** When it was first cancelled (System.nanoTime()), or 0. */
  static long cancelRequestedAt(Nursery nursery) {
    return nursery.scope.cancelRequestedAt();
  }

  /** What cancelled it, for the flight recorder's cancelled-task event. */
  static String cancelReason(Nursery nursery) {
    return nursery.scope.reason();
  }

  /** How it ended, for the flight recorder: normal, failed, cancelled or timed out. */
  static String endKind(Nursery nursery) {
    return nursery.scope.endKind();
  }

  /** {@link Nursery#toString()}: name, state and task counts. */
  static String summary(Nursery nursery) {
    CancelScope scope = nursery.scope;
    boolean ended = scope.isBodyEnded();
    int launched = nursery.registry.launched();
    long s = nursery.registry.counts();
    boolean closed = TaskRegistry.closed(s);
    String state = closed ? "closed" : scope.isCancelled() ? "cancelled" : "open";
    int running = closed ? 0 : Math.max(0, TaskRegistry.unfinished(s) - (ended ? 0 : 1));
    return "Nursery["
        + nursery.name()
        + ", "
        + state
        + ", running="
        + running
        + ", finished="
        + Math.max(0, launched - running)
        + "]";
  }
}
