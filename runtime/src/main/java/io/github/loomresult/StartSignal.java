package io.github.loomresult;

import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TaskStatus} behind {@link Nursery#start}: carries the start value, or the reason the
 * task ended before it started, to the thread waiting in {@code start}.
 */
final class StartSignal<S> implements TaskStatus<S> {
  /** Why a task ended without calling {@code started()}. */
  enum Abort {
    FAILED,
    CANCELLED,
    NOT_STARTED
  }

  private static final int WAITING = 0;
  private static final int STARTED = 1;
  private static final int ABORTED = 2;

  private final AtomicInteger state = new AtomicInteger(WAITING);
  private final Future<S> value = new Future<>();
  private volatile Abort abort = Abort.FAILED;

  @Override
  public void started(@Nullable S startValue) {
    if (!state.compareAndSet(WAITING, STARTED)) {
      throw new IllegalStateException(
          state.get() == STARTED
              ? "started() was already called for this task"
              : "started() called after the task ended");
    }
    value.setResult(startValue);
  }

  /** Hands {@code error} to the starter if the task has not started yet; true if it did. */
  boolean abortIfWaiting(Throwable error, Abort why) {
    if (!state.compareAndSet(WAITING, ABORTED)) {
      return false;
    }
    abort = why;
    value.setException(error);
    return true;
  }

  /**
   * Waits until the task started or ended, for the caller of {@code start}. If that caller is
   * interrupted, the task (still the caller's responsibility) is cancelled and waited for, the
   * interrupt status is restored and {@link TaskCancelledException} thrown.
   *
   * @return the start value, or the raw exception the task ended with, thrown by {@code unwrap}
   */
  Outcome<S> await(ResultCapture<?> task) {
    try {
      value.waitDone();
    } catch (InterruptedException e) {
      if (value.isDone()) {
        // Started (or ended) just as we were interrupted: the task no longer depends on us.
        Thread.currentThread().interrupt();
        return value.outcome();
      }
      task.cancel();
      Uninterruptibly.await(value::waitDone);
      Thread.currentThread().interrupt();
      throw new TaskCancelledException(
          "interrupted while waiting for " + task.describeForMessage() + " to start", e);
    }
    return value.outcome();
  }

  Abort abort() {
    return abort;
  }
}
