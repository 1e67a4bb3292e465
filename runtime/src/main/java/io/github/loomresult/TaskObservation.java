package io.github.loomresult;

/**
 * What the runtime remembers about one observed task: the observers it reports to, and the times
 * its timings are computed from. A task has one only while someone watches it (a {@link
 * TaskObserver} at its start, or a flight recording of cancellations at its {@code cancel()}).
 *
 * <p>{@code observers} and {@code startedAt} are fixed at the start. {@code runningAt} is written
 * by the task's thread when its code begins; {@code cancelRequestedAt} by the first {@code
 * cancel()} of the task; both are read when the task ends, possibly by another thread.
 */
final class TaskObservation {
  final TaskObserver[] observers;
  final long startedAt;
  volatile long runningAt;
  volatile long cancelRequestedAt;

  TaskObservation(TaskObserver[] observers, long startedAt) {
    this.observers = observers;
    this.startedAt = startedAt;
  }
}
