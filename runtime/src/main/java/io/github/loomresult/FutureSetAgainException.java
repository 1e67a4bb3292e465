package io.github.loomresult;

/**
 * Thrown by {@link Future#setResult} or {@link Future#setException} on a future that is already
 * complete. The first value is left untouched.
 *
 * <pre>{@code
 * Future<String> f = new Future<>();
 * f.setResult("first");
 * f.setResult("second"); // throws FutureSetAgainException; f.result() is still "first"
 * }</pre>
 */
public final class FutureSetAgainException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient Future<?> future;

  FutureSetAgainException(Future<?> future) {
    super(future.describeForMessage() + " was already set: " + future);
    this.future = future;
  }

  /** The future that was set twice. */
  public Future<?> future() {
    return future;
  }
}
