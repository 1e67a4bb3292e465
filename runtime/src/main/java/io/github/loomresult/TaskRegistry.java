package io.github.loomresult;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The tasks of one nursery: how many are unfinished (the counts word), which they are (a lock-free
 * registry, walked for cancellation and for joining their threads), and the sweep that unlinks the
 * finished ones. Starting and finishing a task take no lock.
 *
 * <h2>The counts word</h2>
 *
 * <pre>
 *   bit 62            bits 32..61                 bits 0..31
 *   CLOSED            background tasks unfinished  ordinary tasks unfinished (the body is one)
 * </pre>
 *
 * <p>States and transitions:
 *
 * <ul>
 *   <li>open, {@code n} ordinary and {@code b} background tasks: starts at one ordinary task (the
 *       body). {@link #count} adds a task with one {@code getAndAdd}; {@link #finished} subtracts
 *       it with one {@code getAndAdd}. Any thread may do either.
 *   <li>open, {@code 0}: only reachable once the body has finished; the owner alone then moves it
 *       to {@code CLOSED} by a CAS from exactly {@code 0} ({@link #tryClose}).
 *   <li>{@code CLOSED} (with transient counts): final. A {@link #count} that finds it set backs out
 *       its own unit at once ({@link #uncount}) and the task is refused.
 * </ul>
 *
 * <p>"The last task finishes" and "a new task starts" are ordered by that one word: a start that
 * got in first makes the close CAS fail (the owner waits again), a start that comes after sees
 * {@code CLOSED}. The owner never misses its wake-up: {@link #finished} unparks it after its
 * decrement, and a permit given before the owner parks makes the park return at once.
 *
 * <h2>The registry</h2>
 *
 * <p>A Treiber stack through {@code ResultCapture.next}, newest first, whose last node is the body.
 * {@link #push} links with a CAS on {@code head}. A finished task is not unlinked at once: {@link
 * #finished} marks it ({@code ResultCapture.exit}: its exiting thread, or {@link #RETIRED}), and a
 * sweep unlinks the marked tasks whose thread is gone. Fields and their writers:
 *
 * <ul>
 *   <li>{@code head}: {@link #push} (any starter, CAS); set to null by the owner's {@link
 *       #joinExitingThreads} once closed.
 *   <li>{@code next}: written by {@link #push} before its CAS publishes it, by the one running
 *       sweep (unlinking a node, then self-linking it), and by the owner's final clear.
 *   <li>{@code exit}: null while the task is unfinished; written once by {@link #finished}; set to
 *       {@link #RETIRED} by a sweep or by the owner once the thread was joined.
 *   <li>{@code sweepAt}: the number of retired tasks at which the next sweep runs; claimed by a CAS
 *       that moves it far ahead (so one sweep runs at a time), then set by that sweep.
 * </ul>
 *
 * <p>A sweep never unlinks the first node it saw, so it never races a push; nothing else unlinks
 * while tasks run. An unlinked node points to itself, and a walker standing on it starts again from
 * {@code head} ({@link #successor}). Invariant: every task not yet (marked and gone) is reachable
 * from {@code head}.
 */
final class TaskRegistry {
  private static final int BACKGROUND_SHIFT = 32;
  private static final int COUNT_BITS = 30;
  static final long ORDINARY_UNIT = 1L;
  static final long BACKGROUND_UNIT = 1L << BACKGROUND_SHIFT;
  private static final long ORDINARY_MASK = (1L << BACKGROUND_SHIFT) - 1;
  private static final long BACKGROUND_MASK = ((1L << COUNT_BITS) - 1) << BACKGROUND_SHIFT;
  private static final long CLOSED = 1L << (BACKGROUND_SHIFT + COUNT_BITS);

  /** No sweep before this many tasks have finished. */
  private static final int MIN_SWEEP = 64;

  /** Only every SWEEP_CHECK-th task looks at the sweep threshold; a power of two. */
  private static final int SWEEP_CHECK = 32;

  /** The exit mark of a finished task that leaves no thread to join. */
  static final Object RETIRED = new Object();

  private static final VarHandle COUNTS;
  private static final VarHandle SEQUENCE;
  private static final VarHandle HEAD;
  private static final VarHandle SWEEP_AT;
  private static final VarHandle NEXT;
  private static final VarHandle EXIT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      COUNTS = lookup.findVarHandle(TaskRegistry.class, "counts", long.class);
      SEQUENCE = lookup.findVarHandle(TaskRegistry.class, "sequence", int.class);
      HEAD = lookup.findVarHandle(TaskRegistry.class, "head", ResultCapture.class);
      SWEEP_AT = lookup.findVarHandle(TaskRegistry.class, "sweepAt", int.class);
      NEXT = lookup.findVarHandle(ResultCapture.class, "next", ResultCapture.class);
      EXIT = lookup.findVarHandle(ResultCapture.class, "exit", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Thread owner;

  @SuppressWarnings("unused") // accessed through COUNTS
  private volatile long counts = ORDINARY_UNIT; // the body

  /** How many tasks were ever counted in: the start number of the newest. */
  @SuppressWarnings("unused") // accessed through SEQUENCE
  private volatile int sequence;

  private volatile @Nullable ResultCapture<?> head;

  @SuppressWarnings("unused") // accessed through SWEEP_AT
  private volatile int sweepAt = MIN_SWEEP;

  TaskRegistry(Thread owner, ResultCapture<?> body) {
    this.owner = owner;
    this.head = body;
  }

  /**
   * Counts a new task in, before anything else is done for it: from here on the owner cannot close
   * until it is booked as finished. Returns false, having backed out, if the registry is closed.
   */
  boolean count(boolean background) {
    long unit = background ? BACKGROUND_UNIT : ORDINARY_UNIT;
    if (((long) COUNTS.getAndAdd(this, unit) & CLOSED) != 0) {
      COUNTS.getAndAdd(this, -unit); // once CLOSED is set the owner does not read the counts
      return false;
    }
    return true;
  }

  /**
   * Takes back the unit of a counted task that never reached the registry, waking the owner if it
   * was the last, as {@link #finished} would.
   */
  void uncount(boolean background) {
    long unit = background ? BACKGROUND_UNIT : ORDINARY_UNIT;
    long after = (long) COUNTS.getAndAdd(this, -unit) - unit;
    if ((after & ORDINARY_MASK) == 0 && Thread.currentThread() != owner) {
      LockSupport.unpark(owner);
    }
  }

  /** The start number of a task just counted in: 1 for the first task. */
  int nextSequence() {
    return (int) SEQUENCE.getAndAdd(this, 1) + 1;
  }

  /** Links a counted task into the registry; publishes its fields to every later walker. */
  void push(ResultCapture<?> c) {
    for (; ; ) {
      ResultCapture<?> h = head;
      NEXT.set(c, h); // published by the CAS
      if (HEAD.compareAndSet(this, h, c)) {
        return;
      }
    }
  }

  /** The newest task, where a walk starts; null once the owner emptied the registry. */
  @Nullable ResultCapture<?> first() {
    return head;
  }

  /**
   * The next node of a walk: {@code c}'s successor, or the head again if a sweep has unlinked
   * {@code c} meanwhile. Starting again is safe: only finished tasks are ever unlinked, and the
   * walkers' visits are idempotent.
   */
  @Nullable ResultCapture<?> successor(ResultCapture<?> c) {
    ResultCapture<?> n = (ResultCapture<?>) NEXT.getAcquire(c);
    return n == c ? head : n;
  }

  /** Whether any registered task's handle is not done yet. */
  boolean anyNotDone() {
    for (ResultCapture<?> c = head; c != null; c = successor(c)) {
      if (!c.isDone()) {
        return true;
      }
    }
    return false;
  }

  /** The counts word, for the owner's wait ({@link #ordinaryLeft}, {@link #tryClose}). */
  long counts() {
    return (long) COUNTS.getVolatile(this);
  }

  static boolean ordinaryLeft(long counts) {
    return (counts & ORDINARY_MASK) != 0;
  }

  static boolean closed(long counts) {
    return (counts & CLOSED) != 0;
  }

  /** Unfinished tasks, ordinary and background, in a counts word that is not closed. */
  static int unfinished(long counts) {
    return (int) (counts & ORDINARY_MASK) + (int) ((counts & BACKGROUND_MASK) >>> BACKGROUND_SHIFT);
  }

  int launched() {
    return (int) SEQUENCE.getVolatile(this);
  }

  /** The owner closes once no task is left; false if a task was counted in meanwhile. */
  boolean tryClose() {
    return COUNTS.compareAndSet(this, 0L, CLOSED);
  }

  /**
   * The owner waits until no task is left, cancelling the background tasks ({@code scope}) once no
   * ordinary task is, then closes the registry to new arrivals; see the class comment for why no
   * start and no wake-up is lost. An interrupt meanwhile is from outside: it cancels what still
   * runs and is set again on return. {@code blocker}: the nursery, for thread dumps.
   */
  void awaitQuiescence(CancelScope scope, Object blocker) {
    boolean interrupted = false;
    while (true) {
      long s = counts();
      if (!ordinaryLeft(s)) {
        if (s != 0 && !scope.isBackgroundCancelled()) {
          // Only background tasks are left: they are cancelled now (and so is every task
          // started from here on, by TaskLaunch), and then waited for.
          scope.cancelBackground();
          continue;
        }
        if (s == 0) {
          if (tryClose()) {
            break;
          }
          continue; // a task was started meanwhile
        }
      }
      LockSupport.park(blocker);
      if (Thread.interrupted()) {
        interrupted = true;
        scope.interruptedWhileWaiting();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Books a finished task. {@code exitingThread}, if given, is the task's thread, which ends right
   * after this: it is remembered and joined before the nursery returns, so that no thread of the
   * nursery is alive then (N2). {@code onTaskThread}: the caller is the task's own thread, which
   * the owner joins before returning: such a caller sweeps after its decrement; any other caller
   * sweeps before it, while its task still keeps the nursery open, so that no sweep outlives the
   * nursery.
   */
  void finished(ResultCapture<?> c, @Nullable Thread exitingThread, boolean onTaskThread) {
    // The mark first: once the decrement below lets the owner close, every finished task is
    // marked, and every thread to join is in its mark.
    EXIT.setRelease(c, exitingThread != null ? exitingThread : RETIRED);
    long unit = c.isBackground() ? BACKGROUND_UNIT : ORDINARY_UNIT;
    if (!onTaskThread && (c.sequence() & (SWEEP_CHECK - 1)) == 0) {
      // A task that ends off its thread (withdrawn from a limiter's queue, or never started) sweeps
      // too, or such tasks would pile up while no task thread finishes.
      maybeSweep((long) COUNTS.getVolatile(this) - unit);
    }
    long after = (long) COUNTS.getAndAdd(this, -unit) - unit;
    // Not when the owner itself books a task (its body, a withdrawn or unstartable task): it is not
    // parked, reads the counts again before it parks, and a permit given to itself would outlive
    // the nursery on the caller's thread.
    if ((after & ORDINARY_MASK) == 0 && Thread.currentThread() != owner) {
      LockSupport.unpark(owner);
    }
    // The check reads fields that the starting side writes all the time, and a walk of the
    // registry misses the cache per node: only every SWEEP_CHECK-th task looks.
    if (onTaskThread && after != 0 && (c.sequence() & (SWEEP_CHECK - 1)) == 0) {
      maybeSweep(after);
    }
  }

  /**
   * Unlinks the finished tasks whose thread is gone, once enough tasks have finished since the last
   * sweep (twice as many as were left then, at least MIN_SWEEP): amortized O(1) per task, and a
   * long-lived nursery holds at most about three times its peak of live tasks.
   */
  private void maybeSweep(long countsAfter) {
    int retired = (int) SEQUENCE.getVolatile(this) + 1 - unfinished(countsAfter);
    int at = (int) SWEEP_AT.getVolatile(this);
    if (retired - at < 0 || !SWEEP_AT.compareAndSet(this, at, at + (1 << 30))) {
      return; // not yet, or another thread is sweeping
    }
    int kept = 0;
    ResultCapture<?> pred = head; // never unlinked: a push may be linking a node to it right now
    if (pred != null) {
      kept = 1;
      ResultCapture<?> c = (ResultCapture<?>) NEXT.getAcquire(pred);
      while (c != null) {
        ResultCapture<?> n = (ResultCapture<?>) NEXT.getAcquire(c);
        if (gone(c)) {
          NEXT.setRelease(pred, n);
          EXIT.setRelease(c, RETIRED); // the thread is gone: the handle need not keep it
          NEXT.setRelease(c, c); // a walker standing on c starts again from head
        } else {
          pred = c;
          kept++;
        }
        c = n;
      }
    }
    SWEEP_AT.setVolatile(this, retired + Math.max(MIN_SWEEP, 2 * kept));
  }

  /** Whether a finished task can leave the registry: marked, and its thread (if any) is gone. */
  private static boolean gone(ResultCapture<?> c) {
    Object mark = EXIT.getAcquire(c);
    return mark != null && !(mark instanceof Thread t && t.isAlive());
  }

  /**
   * Waits for the threads of finished tasks to terminate, so none is alive when the nursery returns
   * (N2), then empties the registry. Called by the owner once closed: every task is marked, and no
   * node is pushed any more. The first walk may still meet a sweep (run by a task thread that is
   * exiting); once every thread is joined no sweep runs, and the second walk unlinks everything, so
   * a handle kept by the caller keeps no other.
   */
  void joinExitingThreads() {
    for (ResultCapture<?> c = head; c != null; c = successor(c)) {
      if (EXIT.getAcquire(c) instanceof Thread t) {
        Uninterruptibly.join(t); // the thread is only exiting: keep waiting, keep the interrupt
        EXIT.setRelease(c, RETIRED);
      }
    }
    ResultCapture<?> c = head;
    head = null;
    while (c != null) {
      ResultCapture<?> n = (ResultCapture<?>) NEXT.getAcquire(c);
      NEXT.setRelease(c, null);
      c = n == c ? null : n;
    }
  }
}
