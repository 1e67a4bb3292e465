package io.github.loomresult;

/**
 * The life-cycle state of a {@link ResultBase}: a task handle or a {@link Future}.
 *
 * <p>A handle moves forward only: {@code PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED}. A
 * {@link Future} skips {@code RUNNING}; a task cancelled before it ran skips it too.
 *
 * <pre>{@code
 * ResultCapture<String> c = nursery.startSoon(() -> fetch());
 * c.waitDone();
 * if (c.state() == TaskState.SUCCEEDED) use(c.result());
 * }</pre>
 */
public enum TaskState {
  /** Created or queued; the task has not begun (a {@link Future}: nobody has set it yet). */
  PENDING,
  /** The task is executing. */
  RUNNING,
  /** Finished with a value, which may be {@code null}. */
  SUCCEEDED,
  /** Finished by throwing; {@link ResultBase#exception()} is the original exception. */
  FAILED,
  /** Cancelled; {@link ResultBase#exception()} is a {@link TaskCancelledException}. */
  CANCELLED;

  /** Whether this is one of the three final states. */
  public boolean isDone() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
