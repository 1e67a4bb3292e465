package io.github.loomresult;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The engine of {@link Results}' gather and map: a nursery owned by the consuming thread, fed
 * lazily from the inputs by that same thread as results are taken (no feeder thread).
 *
 * <p>Each call to {@link #next()} first tops up the running tasks: it pulls inputs while the
 * limiter's queue is empty (without a limiter, all of them), so at most one input is pulled ahead
 * of a free slot. It then waits for the next result in the chosen order, topping up again whenever
 * one of its tasks starts (a queued input got a slot, so the queue may be empty now). In fail-fast
 * mode a task's failure cancels the nursery, which interrupts the consumer and ends the run with
 * {@link NurseryFailedException}; otherwise task failures are delivered as outcomes.
 */
final class MapRun<I, R> implements Iterator<Mapped<I, R>>, AutoCloseable {
  private final Iterator<? extends I> inputs;
  private final TaskFunction<? super I, ? extends R> function;
  private final MapOrder order;
  private final boolean failFast;
  private final @Nullable Limiter limiter;
  private final Nursery nursery;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition completion = lock.newCondition();
  private final ArrayDeque<Entry<I, R>> inInputOrder = new ArrayDeque<>(); // only for INPUT
  private final ArrayDeque<Entry<I, R>> completed = new ArrayDeque<>(); // guarded by lock
  private long nextIndex;
  private int outstanding; // started, not yet returned
  private final long window; // the most inputs outstanding at once
  private boolean finished;
  private boolean taskStarted; // guarded by lock: a task began since the consumer last looked

  private record Entry<I, R>(long index, I input, ResultCapture<R> capture) {
    Mapped<I, R> toMapped() {
      return new Mapped<>(index, input, capture.outcome());
    }
  }

  MapRun(
      String name,
      Iterable<? extends I> inputs,
      TaskFunction<? super I, ? extends R> function,
      MapOrder order,
      boolean failFast,
      boolean streaming,
      @Nullable Limiter limiter) {
    this.inputs = Objects.requireNonNull(inputs, "inputs").iterator();
    long n = limiter == null ? Integer.MAX_VALUE : limiter.maxAtOnce();
    // A stream's consumer may be slow: finished results it has not taken count against a window
    // (one queued input beyond the limit; in input order a further n for results finished ahead
    // of a slow one). A list is taken whole, so it needs no window.
    this.window =
        !streaming || n == Integer.MAX_VALUE
            ? Long.MAX_VALUE
            : order == MapOrder.COMPLETION ? n + 1 : 2 * n + 1;
    this.function = Objects.requireNonNull(function, "function");
    this.order = Objects.requireNonNull(order, "order");
    this.failFast = failFast;
    this.limiter = limiter;
    Nursery.Builder config = Nursery.builder().name(name);
    if (limiter != null) {
      config.limiter(limiter);
    }
    this.nursery = config.open();
  }

  @Override
  public boolean hasNext() {
    if (finished) {
      return false;
    }
    if (outstanding > 0 || inputs.hasNext()) {
      return true;
    }
    finish();
    return false;
  }

  @Override
  public Mapped<I, R> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("every input has been mapped");
    }
    Mapped<I, R> result;
    try {
      Entry<I, R> e = awaitNext();
      outstanding--;
      result = e.toMapped();
    } catch (InterruptedException e) {
      // Our own nursery interrupts us when a task fails (fail-fast): finishing reports it. Any
      // other interrupt came from outside: finishing throws TaskCancelledException, status set.
      abort(e);
      throw new TaskCancelledException("map was interrupted", e);
    } catch (RuntimeException | Error e) {
      abort(e);
      throw e;
    }
    if (failFast && !result.outcome().isSuccess()) {
      // This failure (or the cancellation it caused) also cancelled the nursery: report it.
      finish();
    }
    return result;
  }

  private Entry<I, R> awaitNext() throws InterruptedException {
    while (true) {
      topUp();
      lock.lock();
      try {
        Entry<I, R> ready = readyLocked();
        if (ready != null) {
          return ready;
        }
        if (taskStarted) {
          // A queued task of ours started (a task that ended gave its slot up, or a token came
          // due), maybe after topUp() saw the queue: top up again, or a free slot could stay
          // unused.
          taskStarted = false;
          continue;
        }
        completion.await();
      } finally {
        lock.unlock();
      }
    }
  }

  private @Nullable Entry<I, R> readyLocked() {
    if (order == MapOrder.COMPLETION) {
      Entry<I, R> first = completed.peekFirst();
      return first != null && first.capture.isDone() ? completed.pollFirst() : null;
    }
    Entry<I, R> head = inInputOrder.peekFirst();
    return head != null && head.capture.isDone() ? inInputOrder.pollFirst() : null;
  }

  /**
   * Pulls inputs while nothing waits in the limiter's queue: every free slot gets an input, and one
   * more input waits for the next slot, so a finishing task hands its slot straight to it. Only a
   * stream bounds the inputs outstanding (its {@code window}): finished results that a list's
   * consumer has not taken yet, behind a slow input, hold no slot and must not stop the feeding.
   */
  private void topUp() {
    while (inputs.hasNext()
        && (limiter == null || outstanding == 0 || (outstanding < window && !limiter.hasQueue()))) {
      I input = inputs.next();
      long index = nextIndex++;
      // Named input-N when asked (computed from its start order, which is the input order), with
      // no builder, no name string and a shared thread name: nothing per input beyond the task.
      Callable<R> body =
          () -> {
            if (limiter != null) {
              started();
            }
            return function.apply(input);
          };
      ResultCapture<R> capture = ResultCapture.mapInput(body, !failFast);
      Entry<I, R> entry = new Entry<>(index, input, capture);
      if (order == MapOrder.INPUT) {
        inInputOrder.addLast(entry);
      }
      outstanding++;
      capture.whenDone(new Completion(entry));
      TaskLaunch.launch(nursery, capture, false);
    }
  }

  private void started() {
    lock.lock();
    try {
      taskStarted = true;
      completion.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes an entry's place in completion order while its capture is completing, before anyone can
   * see it done (so a completion it causes comes after it), and wakes the consumer once it is done.
   */
  private final class Completion implements ResultBase.OrderedCallback {
    private final Entry<I, R> entry;

    Completion(Entry<I, R> entry) {
      this.entry = entry;
    }

    @Override
    public void completing() {
      if (order == MapOrder.COMPLETION) {
        lock.lock();
        try {
          completed.addLast(entry);
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void run() {
      lock.lock();
      try {
        completion.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      nursery.finishBody(null, null, false);
    }
  }

  /** Ends the nursery's body with what the consumer's wait threw. */
  private void abort(Throwable e) {
    finished = true;
    nursery.finishBody(null, e, nursery.bodyCancelRequested());
  }

  /** Stops early: cancels what still runs, waits for it, and reports real failures. */
  @Override
  public void close() {
    if (!finished) {
      finished = true;
      nursery.cancel();
      nursery.finishBody(null, null, false);
    }
  }
}
