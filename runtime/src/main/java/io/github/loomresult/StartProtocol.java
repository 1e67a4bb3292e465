package io.github.loomresult;

import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Trio's start protocol: {@link Nursery#start} and {@link ResultCapture#captureStartAndDone} launch
 * a task and wait until it calls {@link TaskStatus#started(Object)}, or ends before it does. One
 * instance is the {@link TaskStatus} of one such task: it carries the start value, or the reason
 * the task ended first, to the thread waiting for it.
 *
 * <p>State, in {@code state}: {@code WAITING} until either the task calls {@code started} ({@code
 * WAITING -> STARTED}, by the task's thread) or its capture settles first ({@code WAITING ->
 * ABORTED}, by whoever settles it: {@link #abortIfWaiting}). Both are final; {@code abort} is
 * written before the value it explains is published.
 */
final class StartProtocol<S> implements TaskStatus<S> {
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

  private StartProtocol() {}

  /** {@link Nursery#start}: launches {@code task} in {@code nursery} and waits until it started. */
  static <S> @Nullable S start(Nursery nursery, @Nullable String name, StartableTask<S, ?> task) {
    StartProtocol<S> signal = new StartProtocol<>();
    ResultCapture<?> capture = signal.capture(name, task);
    TaskLaunch.launch(nursery, capture, false);
    Outcome<S> started = signal.await(capture);
    if (started instanceof Outcome.Failure<S> failure) {
      Throwable error = failure.exception();
      switch (signal.abort) {
        case CANCELLED -> throw (TaskCancelledException) error;
        case NOT_STARTED -> throw (IllegalStateException) error;
        default -> throw new TaskFailedException(capture, error);
      }
    }
    return started.unwrap();
  }

  /** {@link ResultCapture#captureStartAndDone(Nursery, Nursery, StartableTask)}. */
  static <S, R> StartAndDone<S, R> captureStartAndDone(
      Nursery startNursery, Nursery runNursery, StartableTask<S, R> task) {
    StartProtocol<S> signal = new StartProtocol<>();
    ResultCapture<R> done = signal.capture(null, task);
    ResultCapture<S> start =
        new ResultCapture<>(task, () -> signal.launchAndAwait(runNursery, done), "start", false);
    try {
      TaskLaunch.launch(startNursery, start, false);
    } catch (RuntimeException | Error e) {
      done.failUnstarted(e);
      throw e;
    }
    // Only the start capture's body launches the done capture. If the start capture ends without
    // running its body (cancelled before it began), nobody else would ever end the done capture.
    start.whenDone(done::cancelUnlaunched);
    return new StartAndDone<>(start, done);
  }

  private <R> ResultCapture<R> capture(@Nullable String name, StartableTask<S, R> task) {
    ResultCapture<R> c = new ResultCapture<>(task, () -> task.run(this), name, false);
    c.startProtocol = this;
    return c;
  }

  /** The start capture's body: the raw failure of a task that ended before it started. */
  private @Nullable S launchAndAwait(Nursery nursery, ResultCapture<?> task) throws Exception {
    TaskLaunch.launch(
        nursery, task, false); // if it throws, it has already ended the task's capture
    Outcome<S> started = await(task);
    if (started instanceof Outcome.Failure<S> failure) {
      Throwable error = failure.exception();
      if (error instanceof Exception e) {
        throw e;
      }
      throw (Error) error;
    }
    return started.unwrap();
  }

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
  private Outcome<S> await(ResultCapture<?> task) {
    try {
      value.waitDone();
    } catch (InterruptedException e) {
      if (value.isDone()) {
        // Started (or ended) just as we were interrupted: nothing of the task waits for us now.
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
}
