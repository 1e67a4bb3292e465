package io.github.loomresult;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.util.Objects;
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

  /** The task whose description begins the message, until the message is asked for. */
  private transient @Nullable ResultCapture<?> task;

  /** The message, or what follows the task's description in it while that is not computed yet. */
  private @Nullable String message;

  private boolean messageComputed;

  /** Creates the exception with a message and the exception the task ended with, if any. */
  public TaskCancelledException(String message, @Nullable Throwable cause) {
    this(null, message, cause);
  }

  /**
   * The exception of a cancelled capture: its message, {@code task.describeForMessage() + what}, is
   * built only when asked for. A cancellation cancels thousands of tasks at once, and most of these
   * exceptions are never read.
   */
  TaskCancelledException(
      @Nullable ResultCapture<?> task, String messageOrSuffix, @Nullable Throwable cause) {
    this.task = task;
    this.message = messageOrSuffix;
    this.messageComputed = task == null;
    if (cause != null) {
      initCause(cause);
    }
  }

  @Override
  public synchronized @Nullable String getMessage() {
    if (!messageComputed) {
      message = Objects.requireNonNull(task).describeForMessage() + message;
      messageComputed = true;
      task = null;
    }
    return message;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    // Cancellation is control flow, raised for every cancelled task: no stack walk.
    return this;
  }

  @Serial
  private void writeObject(ObjectOutputStream out) throws IOException {
    getMessage(); // the task itself is not serialized
    out.defaultWriteObject();
  }
}
