package io.github.loomresult;

import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The final result of a task: a {@link Success} with its value or a {@link Failure} with its
 * exception. Unlike trio-future's outcomes, an {@code Outcome} can be unwrapped any number of
 * times. A cancelled task's outcome is a {@link Failure} holding a {@link TaskCancelledException}.
 *
 * <pre>{@code
 * switch (capture.outcome()) {
 *   case Outcome.Success<String>(var body) -> render(body);
 *   case Outcome.Failure<String>(var error) -> log.warn("lookup failed", error);
 * }
 * }</pre>
 *
 * @param <T> the value type
 */
public sealed interface Outcome<T> permits Outcome.Success, Outcome.Failure {

  /**
   * A value, which may be {@code null}.
   *
   * @param value the value
   * @param <T> the value type
   */
  record Success<T>(@Nullable T value) implements Outcome<T> {
    @Override
    public @Nullable T unwrap() {
      return value;
    }

    @Override
    public String toString() {
      return "Success[" + value + "]";
    }
  }

  /**
   * A failure with the original exception object.
   *
   * @param exception the exception the task ended with
   * @param <T> the value type the task would have produced
   */
  record Failure<T>(Throwable exception) implements Outcome<T> {
    /** Rejects a {@code null} exception. */
    public Failure {
      Objects.requireNonNull(exception, "exception");
    }

    @Override
    public T unwrap() {
      throw new TaskFailedException(null, exception);
    }

    @Override
    public String toString() {
      return "Failure[" + exception + "]";
    }
  }

  /**
   * The value of a {@link Success}; a {@link Failure} throws {@link TaskFailedException} with the
   * original exception as its cause. Can be called any number of times.
   */
  @Nullable T unwrap();

  /** Whether this is a {@link Success}. */
  default boolean isSuccess() {
    return this instanceof Success;
  }

  /** A successful outcome holding {@code value}. */
  static <T> Outcome<T> success(@Nullable T value) {
    return new Success<>(value);
  }

  /** A failed outcome holding {@code exception}, which must not be {@code null}. */
  static <T> Outcome<T> failure(Throwable exception) {
    return new Failure<>(exception);
  }

  /** Runs {@code task} on the calling thread and captures how it ended. */
  static <T> Outcome<T> capture(Callable<? extends T> task) {
    Objects.requireNonNull(task, "task");
    try {
      return new Success<>(task.call());
    } catch (Throwable t) {
      return new Failure<>(t);
    }
  }
}
