package io.github.loomresult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A nursery's cancellation state: whether and why it was cancelled, the failures it collected, and
 * what it reports when it ends, including whether the owner's interrupt status is set again.
 *
 * <h2>State</h2>
 *
 * <ul>
 *   <li>{@code cancelled}: false until the nursery is cancelled for any reason, then true for ever.
 *       Set before any task or the body is asked to cancel, so whoever observes a cancelled task
 *       also observes the nursery cancelled.
 *   <li>{@code backgroundCancelled}: set by the owner once only background tasks are left.
 *   <li>{@code walked}: set by the first cancellation walk that completed after {@code cancelled}
 *       was set; later requests need not walk again (a task started since cancels itself).
 *   <li>The reasons, each false until its event, then true for ever: {@code failures} not empty (a
 *       task or the body failed), {@code cancelledByParent} (the enclosing task was cancelled),
 *       {@code expired} (the deadline passed before the nursery closed), {@code
 *       externallyInterrupted} (the owner's thread was interrupted from outside while the nursery
 *       ran), and {@code enteredInterrupted} (it was interrupted before the nursery opened). {@link
 *       Nursery#cancel()} sets only {@code cancelled}.
 *   <li>{@code bodyEnded}: set once by the owner when the body ends.
 * </ul>
 *
 * <p>The flags read without the lock are volatile; everything is written under {@code lock}, by the
 * thread that caused the event (a failing task, a canceller, the timer thread, the owner). The lock
 * is taken only for these rare events, never per task.
 *
 * <h2>Cancelling</h2>
 *
 * <p>Every cancellation sets {@code cancelled} under the lock, then walks the registry outside it,
 * asking each task to cancel. The race with a task being started is settled like Dekker's: the
 * starter pushes its task, then reads {@link #cancelsNewTasks}; a canceller sets the flag, then
 * walks. Both are volatile accesses, so at least one sees the other.
 *
 * <h2>What the nursery reports</h2>
 *
 * <table>
 *   <caption>Precedence of end reasons, first match wins</caption>
 *   <tr><th>recorded</th><th>the nursery</th></tr>
 *   <tr><td>a failure</td><td>throws {@link NurseryFailedException} of every failure, with the
 *       {@link NurseryTimeoutException} suppressed if the deadline expired and fails</td></tr>
 *   <tr><td>outside interrupt</td><td>throws {@link TaskCancelledException}</td></tr>
 *   <tr><td>cancelled by the enclosing task</td><td>throws {@link TaskCancelledException}</td></tr>
 *   <tr><td>expired, failing on timeout</td><td>throws {@link NurseryTimeoutException}</td></tr>
 *   <tr><td>expired moving on, {@code cancel()}, or nothing</td><td>returns the body's value if
 *       the body succeeded, else null</td></tr>
 * </table>
 *
 * <p>Independently of the outcome, the owner's interrupt status is set again when it was set on
 * entry, when an outside interrupt was recorded, or when the body's cancellation found the owner's
 * flag already set by someone else.
 *
 * <h2>Whose interrupt it is</h2>
 *
 * <p>Decided here, from facts the library recorded when it acted, never from an exception's cause
 * chain (a body that rethrows what a cancelled child threw carries that child's interrupt, not one
 * of its own thread):
 *
 * <ul>
 *   <li>the library interrupts the owner's thread only for the body's cancellation, and requests
 *       that cancellation ({@link TaskControl}'s {@code CANCEL}) before it interrupts; it records
 *       whether the flag was clear then ({@code TaskControl.BY_US}) or already set by someone else
 *       ({@code foreignInterruptSeen});
 *   <li>the owner's flag set when the body ends, with no cancellation of the body requested: an
 *       outside interrupt, left pending (by a nested nursery cancelled from outside, say);
 *   <li>an interrupt exception thrown by the body itself, caught before any request: an outside
 *       interrupt the body consumed;
 *   <li>an interrupt while the owner waits for the tasks: outside (the library never interrupts a
 *       waiting owner);
 *   <li>the nursery counts as cancelled ({@code cancelled}) before any task or the body is asked to
 *       cancel, so a body or task reacting to a cancelled sibling is cancelled, not failed.
 * </ul>
 *
 * <p>One case cannot be decided from these facts: an outside interrupt that meets the library's own
 * on the one flag, arriving after it and before the body ends, is taken back with it. (Its twin: an
 * outside interrupt the body consumed just before, and is still handling when the library's
 * arrives, looks exactly like a body that caught the library's interrupt, set the flag again and
 * rethrew, a common idiom.) See docs/RELIABILITY.md.
 */
final class CancelScope {
  private final Nursery nursery;
  private final TaskRegistry registry;
  private final ReentrantLock lock = new ReentrantLock();

  private volatile boolean cancelled;
  private volatile boolean backgroundCancelled;
  private volatile boolean walked;
  private volatile boolean bodyEnded; // volatile: read without the lock by toString

  private boolean cancelledByParent;
  private boolean expired;
  private boolean externallyInterrupted;
  private boolean enteredInterrupted;
  private final List<Throwable> failures = new ArrayList<>(1);
  // System.nanoTime() of the first cancellation walk (0 before), for the time from a cancellation
  // to each cancelled task's end (Observability); written by whoever walks first.
  private volatile long cancelRequestedAt;

  CancelScope(Nursery nursery, TaskRegistry registry) {
    this.nursery = nursery;
    this.registry = registry;
  }

  /** Whether the nursery was cancelled, for any reason. */
  boolean isCancelled() {
    return cancelled;
  }

  /** Whether a task started now must be cancelled at once. */
  boolean cancelsNewTasks() {
    return cancelled || backgroundCancelled;
  }

  boolean isBackgroundCancelled() {
    return backgroundCancelled;
  }

  boolean isBodyEnded() {
    return bodyEnded;
  }

  /** Records the owner's interrupt status as the nursery opens: that one is someone else's. */
  void entered(boolean interrupted) {
    enteredInterrupted = interrupted;
  }

  /** {@link Nursery#cancel()}. */
  void cancel() {
    lock.lock();
    try {
      cancelled = true;
    } finally {
      lock.unlock();
    }
    cancelTasks();
  }

  /**
   * The enclosing task is cancelled. {@code bodyTakesIt} runs under the lock, so that the body's
   * cancellation and the reason are recorded together; its answer is returned.
   */
  boolean cancelFromParent(BooleanSupplier bodyTakesIt) {
    boolean taken;
    lock.lock();
    try {
      cancelledByParent = true;
      taken = bodyTakesIt.getAsBoolean();
      cancelled = true;
    } finally {
      lock.unlock();
    }
    cancelTasks();
    return taken;
  }

  void recordFailure(Throwable failure) {
    lock.lock();
    try {
      failures.add(failure);
      cancelled = true;
    } finally {
      lock.unlock();
    }
    cancelTasks();
  }

  /**
   * The deadline passed. It does not count if the registry closed first (a CAS without the lock
   * before this read); otherwise it is as if the deadline came first, which it did.
   */
  void expire() {
    lock.lock();
    try {
      if (TaskRegistry.closed(registry.counts())) {
        return;
      }
      expired = true;
      cancelled = true;
    } finally {
      lock.unlock();
    }
    Observability.deadlineExpired(nursery, NurseryView.failsOnTimeout(nursery));
    cancelTasks();
  }

  /**
   * The owner was interrupted while it waited for the tasks. That cancels the nursery, unless the
   * enclosing task cancelled it already or every handle is done (the tasks are only finishing their
   * bookkeeping).
   */
  void interruptedWhileWaiting() {
    lock.lock();
    try {
      if (cancelledByParent || !registry.anyNotDone()) {
        return;
      }
      externallyInterrupted = true;
      cancelled = true;
    } finally {
      lock.unlock();
    }
    cancelTasks();
  }

  /** Only background tasks are left: they are cancelled now, and every task started later. */
  void cancelBackground() {
    lock.lock();
    try {
      backgroundCancelled = true;
    } finally {
      lock.unlock();
    }
    stampCancelRequest();
    walkAndCancel();
  }

  /**
   * The body ended, with {@code failure} if it threw. Decides, from what the library recorded,
   * whether an interrupt the library did not send ended it; if so the nursery is cancelled from
   * outside now (see the class comment). Called by the owner, before the body's capture settles.
   *
   * @param cancelRequestedWhenCaught whether the body's cancellation had been requested when its
   *     exception was caught: the library sets that before it sends the body's interrupt, so if it
   *     was clear, no interrupt of ours can have caused the exception
   */
  void bodyEnded(
      ResultCapture<?> body, @Nullable Throwable failure, boolean cancelRequestedWhenCaught) {
    boolean byOutsideInterrupt =
        failure != null && endedByOutsideInterrupt(body, failure, cancelRequestedWhenCaught);
    lock.lock();
    try {
      bodyEnded = true;
      if (byOutsideInterrupt) {
        externallyInterrupted = true;
        cancelled = true;
      }
    } finally {
      lock.unlock();
    }
    if (byOutsideInterrupt) {
      cancelTasks();
    }
  }

  /**
   * The facts, in this order: the owner's interrupt status now, then whether the body's
   * cancellation was requested (which the library sets before it interrupts, so a status set by us
   * is seen with the request). A status set without a request is someone else's: the body left an
   * outside interrupt pending (a nested nursery that was cancelled from outside sets it again, for
   * one). An interrupt exception thrown by the body itself, caught before any request, is someone
   * else's too. What a cancelled child threw, rethrown by the body, is neither: only the body's own
   * thread counts, never an exception's cause chain.
   */
  private static boolean endedByOutsideInterrupt(
      ResultCapture<?> body, Throwable failure, boolean cancelRequestedWhenCaught) {
    boolean pending = Thread.currentThread().isInterrupted();
    if (pending && !TaskControl.isCancelRequested(body)) {
      return true;
    }
    return !cancelRequestedWhenCaught && Cancellation.isInterruptType(failure);
  }

  /** Throws if the body has ended already: {@code join} and {@code run} end it once. */
  void checkBodyRunning(String what, String nurseryName) {
    lock.lock();
    try {
      if (bodyEnded) {
        throw new IllegalStateException(
            what
                + "() called on nursery '"
                + nurseryName
                + "', which was already joined or closed");
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Requests the cancellation of every task of the registry, after {@code cancelled} was set: the
   * first caller walks the registry, and so does every caller until one walk has completed, so that
   * whoever returns from a cancellation knows every task was asked to cancel. Never called under
   * the lock: the interrupts and the withdrawn tasks' completions (which run callbacks, user code)
   * happen outside it.
   */
  private void cancelTasks() {
    if (!walked) {
      stampCancelRequest();
      walkAndCancel();
      walked = true;
    }
  }

  /**
   * Cancels every task in the registry, and ends at once those still queued for a limiter slot. A
   * queued task missed here (pushed after the walk) cancels itself in launch: it reads {@link
   * #cancelsNewTasks} after its push, and withdraws itself if it was queued meanwhile.
   */
  private void walkAndCancel() {
    List<Limiter> limiters = List.of();
    for (ResultCapture<?> c = registry.first(); c != null; c = registry.successor(c)) {
      TaskControl.requestCancel(c);
      Admission admission = c.admission();
      if (admission != null) {
        for (Limiter l : admission.limiters()) {
          if (!limiters.contains(l)) {
            limiters = limiters.isEmpty() ? new ArrayList<>(2) : limiters;
            limiters.add(l);
          }
        }
      }
    }
    for (Limiter l : limiters) {
      for (Limiter.Ticket t : l.withdrawAll(nursery)) {
        t.admission.endWithdrawn(t.stage);
      }
    }
  }

  /**
   * What the nursery returns or throws once every task is done; see the table in the class comment.
   * Sets the owner's interrupt status again where it is someone else's.
   */
  <T> @Nullable T report(
      String nurseryName,
      @Nullable T value,
      boolean bodySucceeded,
      boolean foreignInterruptSeen,
      boolean failOnTimeout) {
    lock.lock();
    try {
      if (externallyInterrupted || enteredInterrupted || foreignInterruptSeen) {
        Thread.currentThread().interrupt(); // never swallowed (N6)
      }
      if (!failures.isEmpty()) {
        NurseryFailedException failed = new NurseryFailedException(nurseryName, failures);
        if (expired && failOnTimeout) {
          failed.addSuppressed(timeoutException(nurseryName));
        }
        throw failed;
      }
      if (externallyInterrupted) {
        throw new TaskCancelledException(
            "nursery '" + nurseryName + "' was cancelled: its thread was interrupted", null);
      }
      if (cancelledByParent) {
        throw new TaskCancelledException(
            "nursery '" + nurseryName + "' was cancelled by its enclosing task", null);
      }
      if (expired && failOnTimeout) {
        throw timeoutException(nurseryName);
      }
      return bodySucceeded ? value : null;
    } finally {
      lock.unlock();
    }
  }

  private void stampCancelRequest() {
    if (cancelRequestedAt == 0) {
      cancelRequestedAt = System.nanoTime();
    }
  }

  long cancelRequestedAt() {
    return cancelRequestedAt;
  }

  /** What cancelled the nursery, for the flight recorder's cancelled-task event. */
  String reason() {
    lock.lock();
    try {
      if (!failures.isEmpty()) {
        return "a task of the nursery failed";
      } else if (expired) {
        return "the nursery's deadline expired";
      } else if (cancelledByParent) {
        return "the enclosing task was cancelled";
      } else if (externallyInterrupted) {
        return "the nursery's thread was interrupted";
      } else if (cancelled) {
        return "cancel() of the nursery";
      } else if (backgroundCancelled) {
        return "background task at the nursery's end";
      }
      return "cancel() of the task";
    } finally {
      lock.unlock();
    }
  }

  /** How the nursery ended, for the flight recorder: normal, failed, cancelled or timed out. */
  String endKind() {
    lock.lock();
    try {
      if (!failures.isEmpty()) {
        return "failed";
      } else if (expired) {
        return "timed out";
      } else if (cancelled) {
        return "cancelled";
      }
      return "normal";
    } finally {
      lock.unlock();
    }
  }

  private static NurseryTimeoutException timeoutException(String nurseryName) {
    return new NurseryTimeoutException("nursery '" + nurseryName + "' reached its deadline");
  }
}
