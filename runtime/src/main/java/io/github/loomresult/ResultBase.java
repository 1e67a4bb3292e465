package io.github.loomresult;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The read side shared by {@link ResultCapture} (a task's handle) and {@link Future} (a value set
 * by anyone): the state, the value or exception once done, and blocking waits.
 *
 * <p>{@link #result()}, {@link #exception()} and {@link #outcome()} never block and may be called
 * any number of times; before the handle is done they throw {@link TaskNotDoneException}. {@link
 * #waitDone()} blocks until done and never throws the task's exception. Interrupting or timing out
 * a waiter has no effect on the task.
 *
 * <p>Memory: everything the task did before it completed happens-before anything done by a thread
 * after it observed {@link #isDone()} as {@code true}, or returned from {@link #waitDone()}.
 * Waiting parks the thread without {@code synchronized}, so virtual threads are never pinned.
 *
 * <pre>{@code
 * ResultBase<String> handle = nursery.startSoon(() -> fetch(url));
 * handle.waitDone();
 * String body = handle.result(); // or throws TaskFailedException with the original cause
 * }</pre>
 *
 * @param <T> the value type
 */
public abstract sealed class ResultBase<T> permits ResultCapture, Future {
  static final int ST_PENDING = 0;
  static final int ST_RUNNING = 1;
  // Being completed: the outcome is being written. Still reported as the state it came from.
  private static final int ST_COMPLETING_PENDING = 2;
  private static final int ST_COMPLETING_RUNNING = 3;
  private static final int ST_SUCCEEDED = 4;
  private static final int ST_FAILED = 5;
  private static final int ST_CANCELLED = 6;

  private static final VarHandle STATUS;
  private static final VarHandle WAITERS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATUS = lookup.findVarHandle(ResultBase.class, "status", int.class);
      WAITERS = lookup.findVarHandle(ResultBase.class, "waiters", Waiter.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Marks the waiter stack once the handle is done; nothing is pushed after it. */
  private static final Waiter RELEASED = new Waiter(null);

  @SuppressWarnings("unused") // accessed through STATUS
  private volatile int status;

  /**
   * The value after success, the exception after a failure or cancellation: the {@link Outcome} is
   * built only when asked for, so a task allocates none. Written once before {@code status} becomes
   * final; read only after a final status, which says which of the two it is.
   */
  private @Nullable Object result;

  @SuppressWarnings("unused") // accessed through WAITERS
  private volatile @Nullable Waiter waiters;

  ResultBase() {}

  /** The current state; moves forward only. */
  public final TaskState state() {
    return switch ((int) STATUS.getAcquire(this)) {
      case ST_PENDING, ST_COMPLETING_PENDING -> TaskState.PENDING;
      case ST_RUNNING, ST_COMPLETING_RUNNING -> TaskState.RUNNING;
      case ST_SUCCEEDED -> TaskState.SUCCEEDED;
      case ST_FAILED -> TaskState.FAILED;
      default -> TaskState.CANCELLED;
    };
  }

  /** Whether the handle has its final value or exception. Never blocks. */
  public final boolean isDone() {
    return (int) STATUS.getAcquire(this) >= ST_SUCCEEDED;
  }

  /**
   * The value, which may be {@code null}. Never blocks.
   *
   * @throws TaskFailedException if the task failed or was cancelled (its message says which), on
   *     every call; its cause is {@link #exception()}
   * @throws TaskNotDoneException if the handle is not done yet
   */
  @SuppressWarnings("unchecked")
  public final @Nullable T result() {
    int st = doneStatus();
    if (st != ST_SUCCEEDED) {
      throw new TaskFailedException(
          this, (Throwable) Objects.requireNonNull(result), st == ST_CANCELLED);
    }
    return (T) result;
  }

  /**
   * {@code null} after success; the original exception object after a failure; a {@link
   * TaskCancelledException} (its cause is whatever the task threw on its way out) after a
   * cancellation. Never blocks.
   *
   * @throws TaskNotDoneException if the handle is not done yet
   */
  public final @Nullable Throwable exception() {
    return doneStatus() == ST_SUCCEEDED ? null : (Throwable) result;
  }

  /**
   * The final {@link Outcome}, which can be unwrapped any number of times. Never blocks.
   *
   * @throws TaskNotDoneException if the handle is not done yet
   */
  @SuppressWarnings("unchecked")
  public final Outcome<T> outcome() {
    if (doneStatus() == ST_SUCCEEDED) {
      return Outcome.success((T) result);
    }
    return Outcome.failure((Throwable) Objects.requireNonNull(result));
  }

  /** The final status, which makes {@code result} readable. */
  private int doneStatus() {
    int st = (int) STATUS.getAcquire(this);
    if (st < ST_SUCCEEDED) {
      throw new TaskNotDoneException(this);
    }
    return st;
  }

  /**
   * Blocks until the handle is done. Never throws the task's exception. If the handle is done by
   * the time an interrupt is noticed, this returns normally and leaves the interrupt status set.
   *
   * @throws InterruptedException if the waiting thread is interrupted; the task is unaffected
   */
  public final void waitDone() throws InterruptedException {
    if (isDone()) {
      return;
    }
    Waiter w = new Waiter(Thread.currentThread());
    if (!push(w)) {
      return;
    }
    while (!isDone()) {
      LockSupport.park(this);
      if (!isDone() && Thread.interrupted()) {
        abandon(w);
        throw new InterruptedException("interrupted while waiting for " + describeForMessage());
      }
    }
  }

  /**
   * Blocks until the handle is done or {@code timeout} has elapsed.
   *
   * @return whether the handle is done
   * @throws InterruptedException if the waiting thread is interrupted; the task is unaffected
   */
  public final boolean waitDone(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    if (isDone()) {
      return true;
    }
    long remaining = saturatedNanos(timeout);
    if (remaining <= 0) {
      return false;
    }
    long deadline = System.nanoTime() + remaining;
    Waiter w = new Waiter(Thread.currentThread());
    if (!push(w)) {
      return true;
    }
    while (!isDone()) {
      if (remaining <= 0) {
        abandon(w);
        return false;
      }
      LockSupport.parkNanos(this, remaining);
      if (!isDone() && Thread.interrupted()) {
        abandon(w);
        throw new InterruptedException("interrupted while waiting for " + describeForMessage());
      }
      remaining = deadline - System.nanoTime();
    }
    return true;
  }

  /**
   * Blocks until the handle is done, then returns its value: {@link #waitDone()} and {@link
   * #result()} in one call. Named {@code await} rather than {@code get} or {@code join} because it
   * keeps this class's contract, not theirs: a failure is the {@link TaskFailedException} that
   * {@link #result()} throws (not {@code ExecutionException} or {@code CompletionException}), and
   * the wait is interruptible, with no effect on the task. If the handle is done by the time an
   * interrupt is noticed, this returns (or throws) its outcome and leaves the interrupt status set.
   *
   * <pre>{@code
   * ResultCapture<String> user = nursery.startSoon(() -> users.fetch(id));
   * String name = user.await(); // the value, or TaskFailedException with the original cause
   * }</pre>
   *
   * @return the value, which may be {@code null}
   * @throws TaskFailedException if the task failed or was cancelled; its cause is {@link
   *     #exception()}
   * @throws InterruptedException if the waiting thread is interrupted; the task is unaffected
   */
  public final @Nullable T await() throws InterruptedException {
    waitDone();
    return result();
  }

  /**
   * Like {@link #await()}, waiting at most {@code timeout}; a handle still not done then is
   * reported as {@link #result()} reports it, with {@link TaskNotDoneException}. The task is not
   * cancelled.
   *
   * @return the value, which may be {@code null}
   * @throws TaskNotDoneException if the handle is not done within {@code timeout}
   * @throws TaskFailedException if the task failed or was cancelled
   * @throws InterruptedException if the waiting thread is interrupted; the task is unaffected
   */
  public final @Nullable T await(Duration timeout) throws InterruptedException {
    waitDone(timeout);
    return result();
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * A {@link CompletableFuture} that completes when this handle does, with the value, or
   * exceptionally with {@link #exception()} (a cancelled task gives a cancelled future). No thread
   * is used. Cancelling or completing the returned future has no effect on the task.
   */
  public CompletableFuture<T> toCompletableFuture() {
    CompletableFuture<T> view = new CompletableFuture<>();
    whenDone(() -> copyTo(view));
    return view;
  }

  @SuppressWarnings("unchecked")
  final void copyTo(CompletableFuture<T> view) {
    if (doneStatus() == ST_SUCCEEDED) {
      view.complete((T) result);
    } else {
      view.completeExceptionally((Throwable) Objects.requireNonNull(result));
    }
  }

  /**
   * Runs {@code callback} once this handle is done: at once on the calling thread if it already is,
   * otherwise on the thread that completes it. Callbacks must be short and must not throw.
   */
  final void whenDone(Runnable callback) {
    if (!push(new Waiter(callback))) {
      callback.run();
    }
  }

  /**
   * Registers {@code callback} to run when this handle completes and returns a token for {@link
   * #disarm}; returns {@code null}, without running it, if the handle is already done.
   */
  final @Nullable Object armCallback(Runnable callback) {
    Waiter w = new Waiter(callback);
    return push(w) ? w : null;
  }

  /** Removes a callback registered by {@link #armCallback}; it will not run. */
  final void disarm(Object token) {
    abandon((Waiter) token);
  }

  /**
   * Drops a waiter that gave up (timed out, interrupted, disarmed) and unlinks every dropped node,
   * so a long-lived pending handle polled in a loop does not accumulate them (as {@code
   * FutureTask.removeWaiter} does).
   */
  private void abandon(Waiter w) {
    w.target = null;
    retry:
    for (; ; ) {
      Waiter pred = null;
      for (Waiter q = waiters, next; q != null && q != RELEASED; q = next) {
        next = q.next;
        if (q.target != null) {
          pred = q;
        } else if (pred != null) {
          pred.next = next;
          if (pred.target == null) {
            continue retry; // pred was dropped meanwhile: start again
          }
        } else if (!WAITERS.compareAndSet(this, q, next)) {
          continue retry;
        }
      }
      return;
    }
  }

  /**
   * Pushes a waiter; false if the handle is done (the waiter was not pushed). A refused pusher
   * waits until the completing thread has published the status, which it does right after detaching
   * the waiters, so that whoever is refused sees the handle done.
   */
  private boolean push(Waiter w) {
    for (; ; ) {
      Waiter head = waiters;
      if (head == RELEASED) {
        awaitPublished();
        return false;
      }
      w.next = head;
      if (WAITERS.compareAndSet(this, head, w)) {
        return true;
      }
    }
  }

  /** Waits out the few instructions between a completion detaching the waiters and publishing. */
  private void awaitPublished() {
    for (int spins = 0; !isDone(); spins++) {
      if (spins < 64) {
        Thread.onSpinWait();
      } else {
        // The completer may be a virtual thread waiting for a carrier (an ordered callback takes
        // a lock): give the carrier up.
        Thread.yield();
      }
    }
  }

  final boolean markRunning() {
    return STATUS.compareAndSet(this, ST_PENDING, ST_RUNNING);
  }

  /**
   * Completes the handle if it is not done yet; returns false if it already was. Wakes every waiter
   * and runs every callback. {@code value} is the value if {@code finalState} is {@link
   * TaskState#SUCCEEDED}, otherwise the exception (not null).
   */
  final boolean completeWith(@Nullable Object value, TaskState finalState) {
    int current;
    do {
      current = (int) STATUS.getAcquire(this);
      if (current >= ST_COMPLETING_PENDING) {
        // Lost. Wait for the winner to publish (a few instructions away) so that whoever lost
        // sees the handle done afterwards: "already set, then not done" has no sequential order.
        while ((int) STATUS.getAcquire(this) < ST_SUCCEEDED) {
          Thread.onSpinWait();
        }
        return false;
      }
    } while (!STATUS.compareAndSet(
        this, current, current == ST_RUNNING ? ST_COMPLETING_RUNNING : ST_COMPLETING_PENDING));
    if (finalState != TaskState.SUCCEEDED) {
      Objects.requireNonNull(value, "exception");
    }
    result = value;
    int finalStatus =
        switch (finalState) {
          case SUCCEEDED -> ST_SUCCEEDED;
          case FAILED -> ST_FAILED;
          case CANCELLED -> ST_CANCELLED;
          default -> throw new IllegalArgumentException("not a final state: " + finalState);
        };
    // The waiters are detached before the status is published: an ordered callback records its
    // handle's place while the handle is still completing, so that a completion this one causes
    // (once it is published) is always recorded after it. A waiter pushed from now on is refused
    // and its pusher waits for the publication below (see push).
    Waiter stack = (Waiter) WAITERS.getAndSet(this, RELEASED);
    Throwable callbackFailure = null;
    for (Waiter w = stack; w != null; w = w.next) {
      if (w.target instanceof OrderedCallback ordered) {
        try {
          ordered.completing();
        } catch (Throwable t) {
          if (callbackFailure == null) {
            callbackFailure = t;
          } else {
            callbackFailure.addSuppressed(t);
          }
        }
      }
    }
    STATUS.setRelease(this, finalStatus);
    if (this instanceof ResultCapture<?> task
        && (finalStatus != ST_SUCCEEDED || task.observation() != null)) {
      Observability.taskCompleted(task, finalState, value); // never throws
    }
    if (stack != null) {
      callbackFailure = fireInRegistrationOrder(stack, callbackFailure);
    }
    if (callbackFailure instanceof RuntimeException e) {
      throw e;
    } else if (callbackFailure instanceof Error e) {
      throw e;
    } else if (callbackFailure != null) {
      throw new IllegalStateException("a completion callback failed", callbackFailure);
    }
    return true;
  }

  /**
   * Fires the detached waiters oldest first (the stack holds them newest first), so callbacks run,
   * and threads wake, in the order they were registered. A single waiter, the common case, needs no
   * copy. The stack only shrinks from here on (a dropped waiter may still be unlinked), so a second
   * walk finds at most as many nodes as the first counted.
   */
  private static @Nullable Throwable fireInRegistrationOrder(
      Waiter stack, @Nullable Throwable failure) {
    if (stack.next == null) {
      return fire(stack, failure);
    }
    int n = 0;
    for (Waiter w = stack; w != null; w = w.next) {
      n++;
    }
    Waiter[] newestFirst = new Waiter[n];
    int count = 0;
    for (Waiter w = stack; w != null && count < n; w = w.next) {
      newestFirst[count++] = w;
    }
    for (int i = count - 1; i >= 0; i--) {
      failure = fire(newestFirst[i], failure);
    }
    return failure;
  }

  /** Fires one waiter; every waiter is woken whatever one callback does: the first failure wins. */
  private static @Nullable Throwable fire(Waiter w, @Nullable Throwable failure) {
    try {
      w.fire();
    } catch (Throwable t) {
      if (failure == null) {
        return t;
      }
      failure.addSuppressed(t);
    }
    return failure;
  }

  /** A short name for messages, e.g. {@code ResultCapture 'fetch'} or {@code Future}. */
  abstract String describeForMessage();

  /**
   * The state in a short form: {@code ResultCapture[fetch, running]}, {@code ResultCapture[fetch,
   * result=42]} or {@code Future[exception=java.io.IOException: reset]}.
   */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + stateText() + "]";
  }

  final String stateText() {
    if (!isDone()) {
      return state() == TaskState.PENDING ? "pending" : "running";
    }
    int st = doneStatus();
    if (st != ST_SUCCEEDED) {
      return (st == ST_CANCELLED ? "cancelled, exception=" : "exception=")
          + Throwables.describe((Throwable) Objects.requireNonNull(result));
    }
    return "result=" + result;
  }

  /** How many waiters are linked to this pending handle: tests check that none accumulate. */
  final int waiterCount() {
    int count = 0;
    for (Waiter q = waiters; q != null && q != RELEASED; q = q.next) {
      count++;
    }
    return count;
  }

  /**
   * A callback that also learns, before anyone can see the handle done, that it is completing: a
   * consumer that delivers handles in completion order records the handle's place then, so that the
   * order is the order in which the handles became done, even when one completion causes another (a
   * callback or a woken thread that completes a second handle). {@link #completing()} runs on the
   * completing thread, must be short, must not wait for other handles and must not throw.
   */
  interface OrderedCallback extends Runnable {
    /** The handle is completing: its outcome is written and it is about to be seen done. */
    void completing();
  }

  /** A node of the waiter stack: a parked thread or a callback. */
  private static final class Waiter {
    volatile @Nullable Object target;
    volatile @Nullable Waiter next;

    Waiter(@Nullable Object target) {
      this.target = target;
    }

    void fire() {
      Object t = target;
      if (t instanceof Thread thread) {
        LockSupport.unpark(thread);
      } else if (t instanceof Runnable callback) {
        callback.run();
      }
    }
  }
}
