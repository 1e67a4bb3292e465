package io.github.loomresult;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Per-task timeouts: bounds one task, or each task of a gather or map, by a time of its own.
 *
 * <p>A bounded task runs its code in a nursery of its own with that timeout, on its own thread, so
 * it inherits every rule of nursery deadlines: on expiry the code is cancelled (its thread
 * interrupted), and the task then fails with {@link TaskTimeoutException}, which propagates or not
 * by the usual rules; code that ignores the cancellation and returns a value has finished, and the
 * task keeps that value (an outcome is never dropped). An enclosing deadline that comes first wins:
 * the task is then cancelled, not timed out. The code sees its deadline through {@link
 * Cancellation#deadline()}. A failure of the code itself is thrown as it was, by identity.
 *
 * <pre>{@code
 * // Each lookup gets 300 ms; the first to time out fails the gather (fail fast):
 * List<Price> prices =
 *     Results.map(skus, TaskTimeout.limitEach(Duration.ofMillis(300), pricing::lookup));
 *
 * // One task bounded, with the timeout kept in its handle:
 * ResultCapture<Profile> profile = ResultCapture.builder()
 *     .timeout(Duration.ofMillis(200))
 *     .suppressException()
 *     .startSoon(nursery, () -> profiles.load(id));
 * }</pre>
 */
public final class TaskTimeout {
  private TaskTimeout() {}

  /**
   * {@code task} bounded by {@code timeout}, counted from when it starts running.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static <T> Callable<T> limit(Duration timeout, Callable<? extends T> task) {
    check(timeout);
    Objects.requireNonNull(task, "task");
    return () -> call(timeout, task);
  }

  /**
   * {@code function} with each application bounded by {@code timeout}: for {@link Results#map}, one
   * timeout per input.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static <I, R> TaskFunction<I, R> limitEach(
      Duration timeout, TaskFunction<? super I, ? extends R> function) {
    check(timeout);
    Objects.requireNonNull(function, "function");
    return input -> call(timeout, () -> function.apply(input));
  }

  static void check(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
  }

  private static <T> T call(Duration timeout, Callable<? extends T> task) throws Exception {
    Object[] finished;
    try {
      // Moves on at the deadline: the holder is null only when the code was cut short by it. Code
      // that ignores the cancellation and returns a value has finished, and keeps its value.
      finished =
          Nursery.builder()
              .name("timeout")
              .timeout(timeout)
              .moveOnTimeout()
              .run(n -> new Object[] {task.call()});
    } catch (NurseryFailedException failed) {
      // Only the code itself ran in this nursery: its failure is the only one, thrown as it was.
      Throwable cause = failed.getCause();
      if (cause instanceof Exception e) {
        throw e;
      }
      throw (Error) Objects.requireNonNull(cause);
    }
    if (finished == null) {
      ResultCapture<?> current = ResultCapture.current();
      throw new TaskTimeoutException(
          current == null ? "task" : current.describeForMessage(), timeout);
    }
    @SuppressWarnings("unchecked")
    T value = (T) finished[0];
    return value;
  }
}
