package io.github.loomresult;

/**
 * Thrown by {@link ResultBase#result()}, {@link ResultBase#exception()} and {@link
 * ResultBase#outcome()} when the handle is not done yet. Those calls never block; wait first with
 * {@link ResultBase#waitDone()} or read them after the nursery has returned.
 *
 * <pre>{@code
 * ResultCapture<Integer> c = nursery.startSoon(() -> slowCount());
 * c.result(); // throws TaskNotDoneException while slowCount() still runs
 * }</pre>
 */
public final class TaskNotDoneException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient ResultBase<?> handle;

  TaskNotDoneException(ResultBase<?> handle) {
    super(handle.describeForMessage() + " is not done (state " + handle.state() + ")");
    this.handle = handle;
  }

  /** The handle that was read too early. */
  public ResultBase<?> handle() {
    return handle;
  }
}
