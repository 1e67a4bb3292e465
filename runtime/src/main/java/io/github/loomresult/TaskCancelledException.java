package io.github.loomresult;

import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * The current task, or the task behind a handle, was cancelled.
 *
 * <p>It is what {@link ResultBase#exception()} returns for a cancelled handle (with whatever the
 * task threw on its way out, typically an {@link InterruptedException}, as its cause), what {@link
 * Cancellation#throwIfCancelled()} throws, and what {@link Nursery#run} throws when the nursery was
 * cancelled from outside: by the cancellation of an enclosing nursery or by an interrupt of the
 * thread that waits for it. An enclosing nursery that caused the cancellation absorbs it; it is
 * never reported as a failure.
 *
 * <p>It extends {@link CancellationException} so that {@link
 * java.util.concurrent.CompletableFuture} views report a cancelled task as cancelled. Instances are
 * cheap: they carry no stack trace.
 *
 * <pre>{@code
 * while (moreWork()) {
 *   Cancellation.throwIfCancelled(); // CPU-bound loop: check once per iteration
 *   step();
 * }
 * }</pre>
 */
public final class TaskCancelledException extends CancellationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message and the exception the task ended with, if any. */
  public TaskCancelledException(String message, @Nullable Throwable cause) {
    super(message);
    if (cause != null) {
      initCause(cause);
    }
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    // Cancellation is control flow, raised for every cancelled task: no stack walk.
    return this;
  }
}
