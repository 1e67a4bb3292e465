package io.github.loomresult;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link ResultBase#result()} (and {@link Outcome#unwrap()}) when the task did not
 * succeed. The cause is the original exception object, by identity: the task's own exception after
 * a failure, or a {@link TaskCancelledException} after a cancellation.
 *
 * <pre>{@code
 * try {
 *   return capture.result();
 * } catch (TaskFailedException e) {
 *   if (e.getCause() instanceof IOException io) return fallback(io);
 *   throw e;
 * }
 * }</pre>
 */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable ResultBase<?> handle;

  /**
   * Creates the exception for {@code handle} (which may be {@code null} for an {@link Outcome} that
   * was built directly) with the original failure as its cause.
   */
  public TaskFailedException(@Nullable ResultBase<?> handle, Throwable cause) {
    this(handle, cause, false);
  }

  /** {@code cancelled}: the handle was cancelled rather than failed, which the message says. */
  TaskFailedException(@Nullable ResultBase<?> handle, Throwable cause, boolean cancelled) {
    super(
        (handle == null ? "task" : handle.describeForMessage())
            + (cancelled ? " was cancelled: " : " failed: ")
            + Throwables.describe(java.util.Objects.requireNonNull(cause, "cause")),
        java.util.Objects.requireNonNull(cause, "cause"));
    this.handle = handle;
  }

  /** The handle whose task failed, or {@code null} when the outcome came from elsewhere. */
  public @Nullable ResultBase<?> handle() {
    return handle;
  }
}
