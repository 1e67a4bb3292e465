package io.github.loomresult;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A value that anyone can set once, from any thread, and anyone can wait for: aioresult's {@code
 * Future}. Use it to hand a result between tasks that are not parent and child, or to expose a
 * result computed by a callback.
 *
 * <p>{@link #setResult} and {@link #setException} complete it; a second completion throws {@link
 * FutureSetAgainException} and leaves the first value in place. A future has no task, so it is
 * never {@link TaskState#RUNNING} or {@link TaskState#CANCELLED}.
 *
 * <pre>{@code
 * Future<Connection> ready = new Future<>();
 * nursery.startSoon(() -> { ready.setResult(connect()); serve(); });
 * ready.waitDone();
 * Connection c = ready.result();
 * }</pre>
 *
 * @param <T> the value type
 */
public final class Future<T> extends ResultBase<T> {

  /** Creates an empty (pending) future. */
  public Future() {}

  /**
   * Completes the future with {@code value}, which may be {@code null}, and wakes its waiters.
   *
   * @throws FutureSetAgainException if it was already completed
   */
  public void setResult(@Nullable T value) {
    if (!completeWith(value, TaskState.SUCCEEDED)) {
      throw new FutureSetAgainException(this);
    }
  }

  /**
   * Completes the future exceptionally with {@code exception} and wakes its waiters.
   *
   * @throws NullPointerException if {@code exception} is {@code null}
   * @throws FutureSetAgainException if it was already completed
   */
  public void setException(Throwable exception) {
    Objects.requireNonNull(exception, "exception");
    if (!completeWith(exception, TaskState.FAILED)) {
      throw new FutureSetAgainException(this);
    }
  }

  @Override
  String describeForMessage() {
    return "Future";
  }
}
