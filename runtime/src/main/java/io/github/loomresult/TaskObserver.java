package io.github.loomresult;

/**
 * Watches the life of tasks, for metrics: registered with {@link #register(TaskObserver)}, it is
 * told when each task started in a nursery from then on is started, waited in a limiter's queue,
 * began running, and ended (succeeded, failed or cancelled), with timings in nanoseconds.
 *
 * <p>An observer sees every event of the tasks started while it is registered, and none of the
 * others: a task started before {@code register} is never reported, and one started before {@link
 * Registration#close()} is still reported to the end, so counts of started and ended tasks always
 * match. Events of one task come in order (started, queued, running, then one end), each from the
 * thread where it happens: {@code started} from the thread that called {@code startSoon}, {@code
 * running} and most ends from the task's own thread. Events of different tasks come concurrently:
 * an observer must be thread-safe, and quick, since it runs inside the task's start and end. What
 * it throws is handed to the current thread's uncaught-exception handler; the task goes on.
 *
 * <p>A nursery's body and captures run by hand ({@link ResultCapture#run()}) are not tasks started
 * in a nursery and are not reported. While no observer is registered, the runtime pays one read of
 * a flag per task start.
 *
 * <pre>{@code
 * LongAdder failed = new LongAdder();
 * try (TaskObserver.Registration r = TaskObserver.register(new TaskObserver() {
 *   @Override
 *   public void failed(ResultCapture<?> task, Nursery nursery, Throwable failure, long runNanos) {
 *     failed.increment();
 *   }
 * })) {
 *   Nursery.runVoid(n -> n.startSoon(() -> fetch(url)));
 * }
 * }</pre>
 */
public interface TaskObserver {

  /**
   * Registers {@code observer} for every task started from now on, until the registration is
   * closed.
   */
  static Registration register(TaskObserver observer) {
    return TaskObservers.register(observer);
  }

  /** {@code task} was handed to {@code nursery} and will run (or queue for a limiter) next. */
  default void started(ResultCapture<?> task, Nursery nursery) {}

  /**
   * {@code task} waited {@code waitedNanos} in {@code limiter}'s queue and has just got its slot.
   * Called only for tasks that queued, before {@link #running}.
   */
  default void queued(ResultCapture<?> task, Nursery nursery, Limiter limiter, long waitedNanos) {}

  /**
   * {@code task}'s code begins on the current thread, {@code sinceStartNanos} after {@link
   * #started} (queueing and thread start included).
   */
  default void running(ResultCapture<?> task, Nursery nursery, long sinceStartNanos) {}

  /** {@code task} returned a value after running {@code runNanos}. */
  default void succeeded(ResultCapture<?> task, Nursery nursery, long runNanos) {}

  /**
   * {@code task} failed with {@code failure}; {@code runNanos} is how long its code ran (0 if it
   * never began, e.g. because no thread could be created).
   */
  default void failed(ResultCapture<?> task, Nursery nursery, Throwable failure, long runNanos) {}

  /** {@code task} ended cancelled; {@code runNanos} is 0 if it was cancelled before it began. */
  default void cancelled(ResultCapture<?> task, Nursery nursery, long runNanos) {}

  /**
   * An observer's registration: {@link #close()} stops reporting tasks started afterwards.
   *
   * <pre>{@code
   * try (TaskObserver.Registration r = TaskObserver.register(observer)) {
   *   runTheWorkload();
   * }
   * }</pre>
   */
  interface Registration extends AutoCloseable {
    /** Unregisters the observer; idempotent. */
    @Override
    void close();
  }
}
