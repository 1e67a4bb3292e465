package io.github.loomresult;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A structured scope for concurrent tasks (Trio's nursery): tasks started in it run on virtual
 * threads, and it does not return until every one of them has finished.
 *
 * <p>{@link #run(Body)} runs a body on the calling thread with a fresh nursery and returns the
 * body's value once the body and every task it started are done. The body, and every task in the
 * nursery at any depth, may start more tasks into it from any thread. If the body or a task fails,
 * the nursery is cancelled: every other task, and the body, is interrupted; the interrupts it
 * caused are absorbed; and the failure is thrown as a {@link NurseryFailedException} with every
 * other real failure attached. {@link #cancel()} and a deadline that moves on end the nursery
 * without an exception; a deadline that fails throws {@link NurseryTimeoutException}. When the
 * nursery was cancelled from outside (an enclosing nursery, or an interrupt of the thread waiting
 * for it) it throws {@link TaskCancelledException}, which the enclosing nursery absorbs.
 *
 * <pre>{@code
 * record Page(String user, List<String> orders) {}
 *
 * Page page = Nursery.builder().name("page").timeout(Duration.ofSeconds(2)).run(n -> {
 *   ResultCapture<String> user = n.startSoon(() -> userService.fetch(id));
 *   ResultCapture<List<String>> orders = n.startSoon(() -> orderService.fetch(id));
 *   user.waitDone();
 *   orders.waitDone();
 *   return new Page(user.result(), orders.result());
 * });
 * }</pre>
 *
 * <p>A try-with-resources form exists for code that cannot be a lambda. The end of the block must
 * be marked with {@link #join()}; leaving the block without it (by an exception, say) cancels the
 * tasks, waits for them, and throws {@link IllegalStateException}:
 *
 * <pre>{@code
 * try (Nursery n = Nursery.open()) {
 *   var a = n.startSoon(() -> fetch("a"));
 *   var b = n.startSoon(() -> fetch("b"));
 *   n.join();
 *   return a.result() + b.result();
 * }
 * }</pre>
 *
 * <p>Nurseries nest: a nursery opened inside a task belongs to that task, is cancelled with it, and
 * inherits the earlier of its own deadline and its parent's.
 */
public final class Nursery implements AutoCloseable {
  private static final AtomicLong NAME_SEQUENCE = new AtomicLong();

  private final String name;
  private final @Nullable ThreadFactory threadFactory;
  private final @Nullable ResultCapture<?> parentTask;
  private final Thread owner;
  private final ResultCapture<Object> body;
  private final long deadlineNanos;
  private final boolean hasDeadline;
  private final boolean failOnTimeout;
  private final boolean ownDeadlinePending; // our own deadline is the earlier: we need a timer
  private final @Nullable Limiter limiter;
  // Creates the virtual threads of unnamed tasks, all named "nursery/task" with one shared
  // String (N12 at no cost per task); made on first use. Named tasks get "nursery/name".
  private volatile @Nullable ThreadFactory unnamedTaskThreads;
  private volatile @Nullable String unnamedThreadName;

  // ---- the per-task state: lock-free -------------------------------------------------------
  //
  // Starting and finishing a task take no lock (a lock taken twice per task serialized every start
  // against every finish). Three pieces of state carry them:
  //
  // counts: the unfinished tasks, ordinary (the body counts as one) in the low 32 bits, background
  // in the bits above, and CLOSED. launch adds its task with one getAndAdd and backs out if CLOSED
  // was set; taskFinished subtracts with one getAndAdd and unparks the owner when no ordinary task
  // is left. The owner closes the nursery only by a CAS from exactly 0 to CLOSED, so "the last task
  // finishes" and "a new task starts" are ordered by that one word: a start that got in first
  // makes the CAS fail (the owner waits again), a start that comes after sees CLOSED and is
  // refused.
  // The owner never misses the wake-up: the finisher's unpark comes after its decrement, and a
  // permit given before the owner parks makes the park return at once.
  //
  // head: the registry of tasks, for cancellation and for joining their threads at the end (N2).
  // A Treiber stack through ResultCapture.next: launch pushes with a CAS. A finished task is not
  // unlinked at once: taskFinished marks it (ResultCapture.exit: its exiting thread, or RETIRED),
  // and a sweep unlinks the marked tasks whose thread is gone. One sweep runs at a time (claimed
  // by a CAS on sweepAt), every so many finishes (amortized O(1) per task); it never unlinks the
  // first node it saw, so it never races a push. Nothing else unlinks while tasks run; an unlinked
  // node is self-linked, and a reader that reaches a self-linked node starts again from head.
  // Invariant: every task not yet (marked and gone) is reachable from head.
  //
  // cancelled / backgroundCancelled: volatile flags, written under the lock. The race between a
  // cancellation and a start is settled like Dekker's: launch pushes its task, then reads the
  // flags; a canceller sets the flag, then walks the registry (cancelTasks). Both are volatile
  // accesses, so at least one of them sees the other: the task is cancelled by the walk, by launch
  // itself, or by both (requestCancel is idempotent). Interrupts are sent by the walk OUTSIDE the
  // lock, and a cancelled task finishes without the lock, so woken tasks never queue behind the
  // canceller.
  private static final long ORDINARY_UNIT = 1L;
  private static final long ORDINARY_MASK = 0xFFFF_FFFFL;
  private static final long BACKGROUND_UNIT = 1L << 32;
  private static final long BACKGROUND_MASK = 0x3FFF_FFFFL; // after >>> 32
  private static final long CLOSED = 1L << 62;
  private static final int MIN_SWEEP = 64;
  private static final int SWEEP_CHECK = 32; // a power of two

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
      COUNTS = lookup.findVarHandle(Nursery.class, "counts", long.class);
      SEQUENCE = lookup.findVarHandle(Nursery.class, "sequence", int.class);
      HEAD = lookup.findVarHandle(Nursery.class, "head", ResultCapture.class);
      SWEEP_AT = lookup.findVarHandle(Nursery.class, "sweepAt", int.class);
      NEXT = lookup.findVarHandle(ResultCapture.class, "next", ResultCapture.class);
      EXIT = lookup.findVarHandle(ResultCapture.class, "exit", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through COUNTS
  private volatile long counts = ORDINARY_UNIT; // the body

  @SuppressWarnings("unused") // accessed through SEQUENCE
  private volatile int sequence;

  private volatile @Nullable ResultCapture<?> head;

  @SuppressWarnings("unused") // accessed through SWEEP_AT
  private volatile int sweepAt = MIN_SWEEP;

  private volatile boolean cancelled;
  private volatile boolean backgroundCancelled;
  // Set once a walk that began after `cancelled` was set has requested every task's cancellation:
  // later cancel() calls need not walk again (a task started since cancels itself in launch).
  private volatile boolean cancelWalked;

  // ---- the rest: guarded by lock (rare events: cancellation, failures, the owner's phases) ---
  private final ReentrantLock lock = new ReentrantLock();

  private boolean cancelledByParent;
  private boolean expired;
  private boolean externallyInterrupted;
  // The owner's thread was already interrupted when it opened us: that interrupt is someone
  // else's by definition, and is set again when we return (N6). Without this, the body could
  // consume it (an InterruptedException, or JDK code that clears and re-sets the flag, such as a
  // contended lock) just before our cancellation interrupted it, and taking our interrupt back
  // would then have taken the caller's too.
  private boolean enteredInterrupted;
  private volatile boolean bodyEnded; // written under lock; read without it by toString
  private final List<Throwable> failures = new ArrayList<>(1);
  private @Nullable ScheduledFuture<?> timer;

  private Nursery(Builder config, @Nullable ResultCapture<?> parentTask) {
    this.name = config.name != null ? config.name : "nursery-" + NAME_SEQUENCE.incrementAndGet();
    this.threadFactory = config.threadFactory;
    this.parentTask = parentTask;
    this.owner = Thread.currentThread();
    this.failOnTimeout = config.failOnTimeout;
    this.limiter = config.limiter;
    this.body = ResultCapture.builder().name("body").build(() -> null);
    body.nursery = this;
    head = body;

    long now = System.nanoTime();
    long own = config.deadlineNanos(now);
    Nursery parentNursery = parentTask == null ? null : parentTask.nursery;
    boolean parentHas = parentNursery != null && parentNursery.hasDeadline;
    boolean ownHas = own != Long.MAX_VALUE;
    this.hasDeadline = ownHas || parentHas;
    long inherited = parentHas ? parentNursery.deadlineNanos : 0;
    if (ownHas && parentHas) {
      this.deadlineNanos = own - inherited < 0 ? own : inherited;
    } else {
      this.deadlineNanos = ownHas ? own : inherited;
    }
    // A timer only when our own deadline is the earlier one; an inherited deadline reaches us
    // through the parent's cancellation.
    this.ownDeadlinePending = ownHas && (!parentHas || own - inherited < 0);
  }

  // ---- entry points -----------------------------------------------------------------------

  /**
   * Runs {@code body} with a new nursery and returns its value once every task has finished.
   *
   * @throws NurseryFailedException if the body or a task failed
   * @throws NurseryTimeoutException never: there is no deadline (see {@link #builder()})
   * @throws TaskCancelledException if cancelled from outside: by an enclosing nursery, or by an
   *     interrupt of this thread (one that ends the body, or arrives while it waits for the tasks);
   *     the interrupt status is then set again
   */
  public static <T> @Nullable T run(Body<T> body) {
    return builder().run(body);
  }

  /** Like {@link #run(Body)} for a body without a value. */
  public static void runVoid(VoidBody body) {
    builder().runVoid(body);
  }

  /**
   * Opens a nursery for a try-with-resources block, whose normal end is marked by {@link #join()};
   * see the class documentation.
   */
  public static Nursery open() {
    return builder().open();
  }

  /** A builder for a named nursery, with a deadline or a custom thread factory. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- starting tasks ---------------------------------------------------------------------

  /**
   * Starts {@code task} in this nursery on a new thread and returns its capture at once. May be
   * called from any thread, also from tasks of this nursery.
   *
   * @throws IllegalStateException if the nursery is closed to new arrivals (it has finished)
   */
  public <T> ResultCapture<T> startSoon(Callable<? extends T> task) {
    return ResultCapture.startSoon(this, task);
  }

  /** Starts a task without a value; see {@link #startSoon(Callable)}. */
  public ResultCapture<Void> startSoon(VoidTask task) {
    return ResultCapture.startSoon(this, task);
  }

  /** Starts a named task; see {@link #startSoon(Callable)}. */
  public <T> ResultCapture<T> startSoon(String name, Callable<? extends T> task) {
    return ResultCapture.builder().name(name).startSoon(this, task);
  }

  /** Starts a named task without a value; see {@link #startSoon(Callable)}. */
  public ResultCapture<Void> startSoon(String name, VoidTask task) {
    return ResultCapture.builder().name(name).startSoon(this, task);
  }

  /**
   * Starts a background task: the nursery does not wait for it, but cancels it once the body and
   * every ordinary task are done (trio-util's {@code run_and_cancelling}), and then waits for it to
   * finish. A failure of a background task fails the nursery like any other.
   *
   * @throws IllegalStateException if the nursery is closed to new arrivals
   */
  public ResultCapture<Void> startBackground(VoidTask task) {
    Objects.requireNonNull(task, "task");
    return launch(ResultCapture.builder().name("background").build(task), true);
  }

  /**
   * Trio's {@code nursery.start}: starts {@code task} in this nursery and blocks until it calls
   * {@link TaskStatus#started(Object)}, then returns that value while the task keeps running here.
   * A failure before {@code started} is thrown from here, not into the nursery.
   *
   * @throws TaskFailedException if the task failed before it started (the cause is the original)
   * @throws IllegalStateException if the task returned without calling {@code started}, or the
   *     nursery is closed to new arrivals
   * @throws TaskCancelledException if the task was cancelled before it started, or this thread was
   *     interrupted while waiting (the task is then cancelled and waited for)
   */
  public <S> @Nullable S start(StartableTask<S, ?> task) {
    return start(null, task);
  }

  /** A named {@link #start(StartableTask)}. */
  public <S> @Nullable S start(@Nullable String name, StartableTask<S, ?> task) {
    Objects.requireNonNull(task, "task");
    StartSignal<S> signal = new StartSignal<>();
    ResultCapture<?> capture = ResultCapture.forStartable(name, task, signal);
    launch(capture, false);
    Outcome<S> started = signal.await(capture);
    if (started instanceof Outcome.Failure<S> failure) {
      Throwable error = failure.exception();
      switch (signal.abort()) {
        case CANCELLED -> throw (TaskCancelledException) error;
        case NOT_STARTED -> throw (IllegalStateException) error;
        default -> throw new TaskFailedException(capture, error);
      }
    }
    return started.unwrap();
  }

  /** The start protocol for {@link ResultCapture#captureStartAndDone}: raw failures. */
  <S> @Nullable S startAndAwait(ResultCapture<?> task, StartSignal<S> signal) throws Exception {
    launch(task, false); // if it throws, it has already ended the task's capture
    Outcome<S> started = signal.await(task);
    if (started instanceof Outcome.Failure<S> failure) {
      Throwable error = failure.exception();
      if (error instanceof Exception e) {
        throw e;
      }
      throw (Error) error;
    }
    return started.unwrap();
  }

  <T> ResultCapture<T> launch(ResultCapture<T> capture, boolean isBackground) {
    if (!capture.claim()) {
      throw new IllegalStateException(capture.describeForMessage() + " was already started");
    }
    long unit = isBackground ? BACKGROUND_UNIT : ORDINARY_UNIT;
    // Counted before anything else: from here on the owner cannot close the nursery until this
    // task is booked as finished. If it was closed already, back out (the owner no longer reads
    // the counts once CLOSED is set) and refuse.
    if (((long) COUNTS.getAndAdd(this, unit) & CLOSED) != 0) {
      COUNTS.getAndAdd(this, -unit);
      IllegalStateException refused = closedError();
      capture.failUnstarted(refused);
      throw refused;
    }
    capture.nursery = this;
    capture.sequence = (int) SEQUENCE.getAndAdd(this, 1) + 1;
    capture.background = isBackground;
    if (capture.limiter != null || (limiter != null && !isBackground)) {
      // volatile: stored only when there is a limiter
      capture.admission =
          Admission.of(this, capture, capture.limiter, isBackground ? null : limiter);
    }
    push(capture); // publishes the fields above to whoever walks the registry
    // After the push (Dekker, see the fields): a canceller that set its flag before this read is
    // seen here; one that sets it after will find the task in the registry.
    if (cancelled || backgroundCancelled) {
      capture.requestCancel();
    }
    Admission admission = capture.admission;
    if (admission == null || admission.advance() == Admission.ADMITTED) {
      startAdmitted(capture);
    }
    return capture;
  }

  /**
   * Starts the thread of a task that holds its limiter slots, if it has limiters, for the caller of
   * {@code startSoon}: a failure to create the thread is thrown to that caller. First waits for the
   * threads that gave up those slots to end, if they still are on their way out.
   */
  void startAdmitted(ResultCapture<?> capture) {
    startThread(capture, false);
  }

  /**
   * Starts a queued task once its limiters admitted it. Nobody waits for this call, so a failure to
   * create the thread fails the nursery instead of being thrown.
   */
  void startDispatched(ResultCapture<?> capture, Admission admission) {
    if (admission.hasPredecessor(Thread.currentThread())) {
      // This thread gave up a slot (to another nursery's task) and is about to end: it cannot
      // wait for itself, so the timer thread starts the task once this thread is gone.
      DeadlineTimer.schedule(0, () -> startDispatched(capture, admission));
      return;
    }
    startThread(capture, true);
  }

  private void startThread(ResultCapture<?> capture, boolean failureToNursery) {
    Admission admission = capture.admission;
    if (admission != null) {
      admission.joinPredecessors();
    }
    try {
      Thread thread;
      if (threadFactory == null) {
        // The capture is the thread's Runnable (no wrapper per task): its run() recognizes the
        // thread assigned here and runs it in the nursery.
        String taskName = capture.explicitName();
        if (taskName == null) {
          thread = LibraryThreads.observed(unnamedTaskThreads().newThread(capture));
        } else {
          thread = LibraryThreads.newTaskThread(null, name, name + "/" + taskName, capture);
        }
        capture.assignThread(thread);
      } else {
        // A factory may wrap the Runnable or run it elsewhere: give it one that runs the task
        // in the nursery whatever thread calls it.
        thread =
            LibraryThreads.newTaskThread(
                threadFactory, name, "", () -> capture.runInNursery(false));
      }
      thread.start();
    } catch (RuntimeException | Error e) {
      capture.assignThread(null);
      capture.failUnstarted(e);
      if (admission != null) {
        admission.releaseAll();
      }
      if (failureToNursery) {
        recordFailure(e); // before the task is booked as finished, so join() sees it
      }
      taskFinished(capture);
      if (!failureToNursery) {
        throw e;
      }
    }
  }

  /** A task ended on its thread: frees its slot, or returns the queued task to run next. */
  @Nullable ResultCapture<?> taskEnded(ResultCapture<?> capture) {
    Admission admission = capture.admission;
    ResultCapture<?> next = null;
    try {
      next = admission == null ? null : admission.releaseOnEnd();
    } finally {
      taskFinished(capture, next == null ? Thread.currentThread() : null, true);
    }
    return next;
  }

  void renameForHandOff(ResultCapture<?> capture) {
    if (threadFactory == null) {
      String taskName = capture.explicitName();
      Thread.currentThread()
          .setName(taskName == null ? unnamedTaskThreadName() : name + "/" + taskName);
    }
  }

  private ThreadFactory unnamedTaskThreads() {
    ThreadFactory f = unnamedTaskThreads;
    if (f == null) {
      // A race creates two factories; either will do.
      f = Thread.ofVirtual().name(unnamedTaskThreadName()).factory();
      unnamedTaskThreads = f;
    }
    return f;
  }

  private String unnamedTaskThreadName() {
    String n = unnamedThreadName;
    if (n == null) {
      n = name + "/task";
      unnamedThreadName = n;
    }
    return n;
  }

  private IllegalStateException closedError() {
    return new IllegalStateException(
        "nursery '" + name + "' is closed to new arrivals: it has finished");
  }

  // ---- cancellation -------------------------------------------------------------------------

  /**
   * Cancels the body and every task of this nursery. A nursery cancelled this way returns normally
   * (with the body's value if the body finished anyway, otherwise {@code null}), and the captures
   * of the cancelled tasks end {@link TaskState#CANCELLED}. Tasks started afterwards are cancelled
   * before they begin. Idempotent.
   */
  public void cancel() {
    lock.lock();
    try {
      cancelled = true;
    } finally {
      lock.unlock();
    }
    cancelTasks();
  }

  /** Whether this nursery has been cancelled, for any reason. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** This nursery's name, used in its threads' names and in messages. */
  public String name() {
    return name;
  }

  /** The effective deadline: the earlier of its own and the enclosing nurseries', if any. */
  public @Nullable Instant deadline() {
    if (!hasDeadline) {
      return null;
    }
    return Instant.now().plusNanos(deadlineNanos - System.nanoTime());
  }

  /**
   * Requests the cancellation of every task of the registry, after {@code cancelled} was set: the
   * first caller walks the registry, and so does every caller until one walk has completed, so that
   * whoever returns from a cancellation knows every task was asked to cancel. Never called under
   * the lock: the interrupts and the withdrawn tasks' completions (which run callbacks, user code
   * through {@code toCompletableFuture}) happen outside it.
   */
  private void cancelTasks() {
    if (!cancelWalked) {
      walkAndCancel();
      cancelWalked = true;
    }
  }

  /**
   * Cancels every task in the registry, and ends at once those still queued for a limiter slot. A
   * queued task missed here (pushed after the walk) cancels itself in launch: it reads the flag
   * after its push, and withdraws itself if it was queued meanwhile.
   */
  private void walkAndCancel() {
    List<Limiter> limiters = List.of();
    ResultCapture<?> c = head;
    while (c != null) {
      c.requestCancel();
      Admission admission = c.admission;
      if (admission != null) {
        for (Limiter l : admission.limiters()) {
          if (!limiters.contains(l)) {
            limiters = limiters.isEmpty() ? new ArrayList<>(2) : limiters;
            limiters.add(l);
          }
        }
      }
      c = successor(c);
    }
    for (Limiter l : limiters) {
      for (Limiter.Ticket t : l.withdrawAll(this)) {
        t.admission.endWithdrawn(t.stage);
      }
    }
  }

  /**
   * Cancels this nursery for its enclosing task. Returns true if this nursery's body runs on {@code
   * parentThread} and took the cancellation over: it interrupts that thread itself (or, if it is
   * shielded, later) and re-asserts the enclosing task's interrupt when it ends.
   */
  boolean cancelFromParent(@Nullable Thread parentThread) {
    boolean bodyTookIt;
    lock.lock();
    try {
      cancelledByParent = true;
      bodyTookIt = owner == parentThread && body.requestCancel();
      cancelled = true;
    } finally {
      lock.unlock();
    }
    cancelTasks();
    return bodyTookIt;
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

  /** The deadline's timer calls this; package-private so tests can expire a deadline on cue. */
  void expire() {
    boolean cancelNow = false;
    lock.lock();
    try {
      // Closed (a CAS without the lock) before this read: too late, nothing to expire. Closed
      // after it: as if the deadline came first, which it did.
      if (((long) COUNTS.getVolatile(this) & CLOSED) == 0) {
        expired = true;
        cancelled = true;
        cancelNow = true;
      }
    } finally {
      lock.unlock();
    }
    if (cancelNow) {
      cancelTasks();
    }
  }

  /** Ends a task that a cancellation took out of its limiter's queue, before it began. */
  void endWithdrawn(ResultCapture<?> capture) {
    capture.cancelQueued();
    taskFinished(capture);
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  private void push(ResultCapture<?> c) {
    for (; ; ) {
      ResultCapture<?> h = head;
      NEXT.set(c, h); // published by the CAS
      if (HEAD.compareAndSet(this, h, c)) {
        return;
      }
    }
  }

  /**
   * The next node of a registry walk: {@code c}'s successor, or the head again if a sweep has
   * unlinked {@code c} meanwhile (an unlinked node points to itself). Starting again is safe: every
   * visit is idempotent, and only finished tasks are ever unlinked.
   */
  private @Nullable ResultCapture<?> successor(ResultCapture<?> c) {
    ResultCapture<?> n = (ResultCapture<?>) NEXT.getAcquire(c);
    return n == c ? head : n;
  }

  /** Whether a finished task can leave the registry: marked, and its thread (if any) is gone. */
  private static boolean gone(ResultCapture<?> c) {
    Object mark = EXIT.getAcquire(c);
    return mark != null && !(mark instanceof Thread t && t.isAlive());
  }

  /**
   * Unlinks the finished tasks whose thread is gone, once enough tasks have finished since the last
   * sweep (twice as many as were left then, at least MIN_SWEEP; looked at by every SWEEP_CHECK-th
   * finishing task): amortized O(1) per task, fewer than one node visited per task, and a
   * long-lived nursery holds at most about three times its peak of live tasks. Called by a task's
   * own thread after its decrement (the owner joins that thread), or by any other finisher before
   * its decrement (the owner cannot close meanwhile), so no sweep outlives the nursery.
   */
  private void maybeSweep(long countsAfter) {
    int running =
        (int) (countsAfter & ORDINARY_MASK) + (int) ((countsAfter >>> 32) & BACKGROUND_MASK);
    int retired = (int) SEQUENCE.getVolatile(this) + 1 - running;
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

  void taskFinished(ResultCapture<?> c) {
    taskFinished(c, null, false);
  }

  /**
   * Books a finished task. {@code exitingThread}, if given, is the task's thread, which ends right
   * after this: it is remembered and joined before the nursery returns, so that no thread of the
   * nursery is alive then (N2). {@code onTaskThread}: the caller is the task's own thread (which
   * exits, or runs a queued task of this nursery next), so the owner joins it before returning:
   * such a caller sweeps after its decrement; any other caller sweeps before it, while its task
   * still keeps the nursery open, so that no sweep outlives the nursery. A hand-off sweeps too, or
   * a limited nursery whose every task hands off would never sweep.
   */
  private void taskFinished(
      ResultCapture<?> c, @Nullable Thread exitingThread, boolean onTaskThread) {
    // The mark first: once the decrement below lets the owner close, every finished task is
    // marked, and every thread to join is in its mark.
    EXIT.setRelease(c, exitingThread != null ? exitingThread : RETIRED);
    long unit = c.background ? BACKGROUND_UNIT : ORDINARY_UNIT;
    if (!onTaskThread && (c.sequence & (SWEEP_CHECK - 1)) == 0) {
      // A task that ends off its thread (withdrawn from a limiter's queue, or never started) sweeps
      // too, or such tasks would pile up while no task thread finishes. It sweeps BEFORE its
      // decrement: it is still counted, so the owner cannot close (and walk the registry for the
      // last time) meanwhile, and no sweep outlives the nursery although nobody joins this thread.
      maybeSweep((long) COUNTS.getVolatile(this) - unit);
    }
    long after = (long) COUNTS.getAndAdd(this, -unit) - unit;
    // The owner may be waiting for this (see the counts). Not when the owner itself books a task
    // (its body, a withdrawn or unstartable task): it is not parked, reads the counts again before
    // it parks, and a permit given to itself would outlive the nursery on the caller's thread.
    if ((after & ORDINARY_MASK) == 0 && Thread.currentThread() != owner) {
      LockSupport.unpark(owner);
    }
    // Only every SWEEP_CHECK-th task looks at the sweep threshold: the check reads fields that the
    // starting side writes all the time, and a walk of the registry misses the cache per node.
    if (onTaskThread && after != 0 && (c.sequence & (SWEEP_CHECK - 1)) == 0) {
      maybeSweep(after);
    }
  }

  // ---- the owner's side ---------------------------------------------------------------------

  private void begin() {
    enteredInterrupted = Thread.currentThread().isInterrupted();
    body.enterInline();
    if (parentTask != null) {
      parentTask.registerNested(this);
    }
    if (ownDeadlinePending) {
      long delay = deadlineNanos - System.nanoTime();
      if (delay <= 0) {
        expire();
      } else {
        ScheduledFuture<?> scheduled = DeadlineTimer.schedule(delay, this::expire);
        lock.lock();
        try {
          timer = scheduled;
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /**
   * Ends the body with its value or exception, waits for every task, and reports: the core of
   * {@link #run}, {@link #join()} and {@link #close()}.
   */
  private <T> @Nullable T finish(
      @Nullable T value, @Nullable Throwable failure, boolean cancelledWhenCaught) {
    // The body ended by an interrupt that this nursery did not send: someone outside cancelled
    // us. It is handled like an interrupt while we wait for the tasks, not as a failure. Whether
    // we had sent one is read where the body's exception was caught: our interrupt always comes
    // after the cancel flag, so a flag still clear then proves the interrupt came from outside,
    // even if a task fails (and cancels the body) in between.
    boolean externalBodyInterrupt =
        failure != null && !cancelledWhenCaught && Cancellation.isInterrupt(failure);
    lock.lock();
    try {
      bodyEnded = true;
      if (externalBodyInterrupt) {
        externallyInterrupted = true;
        cancelled = true;
      }
    } finally {
      lock.unlock();
    }
    if (externalBodyInterrupt) {
      cancelTasks();
    }
    body.leaveInline(parentTask, value, failure);
    taskFinished(body);
    awaitQuiescence();
    joinExitingThreads();
    ScheduledFuture<?> pendingTimer;
    lock.lock();
    try {
      pendingTimer = timer;
    } finally {
      lock.unlock();
    }
    if (pendingTimer != null) {
      pendingTimer.cancel(false);
    }
    if (parentTask != null) {
      parentTask.unregisterNested(this);
      // If the enclosing task is being cancelled, its interrupt may still be on its way (its
      // canceller walks this nursery first, and our tasks no longer wait for their own interrupts
      // to land): let it land, so that whoever catches what we report sees it pending (N6).
      parentTask.awaitInterruptDelivered();
    }
    return report(value);
  }

  /**
   * Waits until no task is left, cancelling the background tasks once no ordinary task is, then
   * closes the nursery to new arrivals (see the counts for why no start and no wake-up is lost).
   */
  private void awaitQuiescence() {
    boolean interrupted = false;
    while (true) {
      long s = (long) COUNTS.getVolatile(this);
      if ((s & ORDINARY_MASK) == 0) {
        if (s != 0 && !backgroundCancelled) {
          // Only background tasks are left: they are cancelled now (and so is every task
          // started from here on, by launch), and then waited for.
          lock.lock();
          try {
            backgroundCancelled = true;
          } finally {
            lock.unlock();
          }
          walkAndCancel();
          continue;
        }
        if (s == 0) {
          if (COUNTS.compareAndSet(this, 0L, CLOSED)) {
            break;
          }
          continue; // a task was started meanwhile
        }
      }
      LockSupport.park(this);
      if (Thread.interrupted()) {
        interrupted = true;
        // An interrupt from outside cancels the work still running. Tasks whose handles are
        // already done are only finishing their bookkeeping: there is nothing to cancel.
        boolean cancelNow = false;
        lock.lock();
        try {
          if (!cancelledByParent && anyTaskNotDone()) {
            externallyInterrupted = true;
            cancelled = true;
            cancelNow = true;
          }
        } finally {
          lock.unlock();
        }
        if (cancelNow) {
          cancelTasks();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits for the threads of finished tasks to terminate, so none is alive when we return (N2),
   * then empties the registry. Called once the nursery is closed: every task is marked, and no node
   * is pushed any more. The first walk may still meet a sweep (run by a task thread that is
   * exiting) and start again where it unlinked a node; once every thread is joined, no sweep runs,
   * and the second walk unlinks everything, so a handle kept by the caller keeps no other.
   */
  private void joinExitingThreads() {
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

  private boolean anyTaskNotDone() {
    for (ResultCapture<?> c = head; c != null; c = successor(c)) {
      if (!c.isDone()) {
        return true;
      }
    }
    return false;
  }

  private <T> @Nullable T report(@Nullable T value) {
    lock.lock();
    try {
      if (externallyInterrupted || enteredInterrupted || body.foreignInterruptSeen()) {
        Thread.currentThread().interrupt(); // never swallowed (N6)
      }
      if (!failures.isEmpty()) {
        NurseryFailedException failed = new NurseryFailedException(name, failures);
        if (expired && failOnTimeout) {
          failed.addSuppressed(timeoutException());
        }
        throw failed;
      }
      if (externallyInterrupted) {
        throw new TaskCancelledException(
            "nursery '" + name + "' was cancelled: its thread was interrupted", null);
      }
      if (cancelledByParent) {
        throw new TaskCancelledException(
            "nursery '" + name + "' was cancelled by its enclosing task", null);
      }
      if (expired && failOnTimeout) {
        throw timeoutException();
      }
      return body.state() == TaskState.SUCCEEDED ? value : null;
    } finally {
      lock.unlock();
    }
  }

  private NurseryTimeoutException timeoutException() {
    return new NurseryTimeoutException("nursery '" + name + "' reached its deadline");
  }

  /**
   * Marks the normal end of a try-with-resources block: waits for every task and reports like
   * {@link #run}. Must be called by the thread that opened the nursery, once.
   *
   * @throws NurseryFailedException if the body or a task failed
   * @throws NurseryTimeoutException if the deadline expired and the nursery fails on timeout
   * @throws TaskCancelledException if cancelled from outside
   * @throws IllegalStateException if the nursery was already joined or closed
   * @throws WrongThreadException if called from another thread than the opener
   */
  public void join() {
    finishBody(null, null, false);
  }

  /**
   * Ends a try-with-resources block. After {@link #join()} it does nothing. Without it (the block
   * was left by an exception or a forgotten {@code join}) it cancels every task, waits for them,
   * and throws {@link IllegalStateException}, whose cause is the {@link NurseryFailedException} if
   * a task failed; Java attaches it as suppressed to the block's own exception, if any. Nurseries
   * from {@link #run} are closed by {@code run}; calling this on them does nothing.
   *
   * @throws IllegalStateException if {@link #join()} was not called
   * @throws WrongThreadException if called from another thread than the opener
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (bodyEnded) {
        return;
      }
    } finally {
      lock.unlock();
    }
    checkOwner("close");
    cancel();
    RuntimeException failure = null;
    try {
      finish(null, new TaskCancelledException("nursery body left without join()", null), true);
    } catch (NurseryFailedException e) {
      failure = e;
    } catch (TaskCancelledException | NurseryTimeoutException e) {
      // The block was left early anyway; what matters is that join() was missed.
    }
    throw new IllegalStateException(
        "nursery '" + name + "' was closed without join(); its tasks were cancelled", failure);
  }

  /** Ends the owner's phase of an {@link #open()}ed nursery with the body's result: for MapRun. */
  <T> @Nullable T finishBody(
      @Nullable T value, @Nullable Throwable failure, boolean cancelledWhenCaught) {
    checkOwner("join");
    endOwnerPhase("join");
    return finish(value, failure, cancelledWhenCaught);
  }

  /** Whether this nursery's body (its owner's code) was asked to cancel. */
  boolean bodyCancelRequested() {
    return body.isCancelRequested();
  }

  private void checkOwner(String what) {
    if (Thread.currentThread() != owner) {
      throw new WrongThreadException(
          what + "() of nursery '" + name + "' must be called by the thread that opened it");
    }
  }

  private void endOwnerPhase(String what) {
    lock.lock();
    try {
      if (bodyEnded) {
        throw new IllegalStateException(
            what + "() called on nursery '" + name + "', which was already joined or closed");
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Name, state and task counts: {@code Nursery[fetch, open, running=3, finished=12]}. Read without
   * a lock: exact when nothing starts or finishes meanwhile.
   */
  @Override
  public String toString() {
    boolean ended = bodyEnded;
    int launched = (int) SEQUENCE.getVolatile(this);
    long s = (long) COUNTS.getVolatile(this);
    boolean closed = (s & CLOSED) != 0;
    String state = closed ? "closed" : cancelled ? "cancelled" : "open";
    int running =
        closed
            ? 0
            : (int) (s & ORDINARY_MASK) + (int) ((s >>> 32) & BACKGROUND_MASK) - (ended ? 0 : 1);
    running = Math.max(0, running);
    return "Nursery["
        + name
        + ", "
        + state
        + ", running="
        + running
        + ", finished="
        + Math.max(0, launched - running)
        + "]";
  }

  // ---- configuration ------------------------------------------------------------------------

  /**
   * The body of {@link Nursery#run(Body)}: runs on the calling thread with the new nursery.
   *
   * <pre>{@code
   * Nursery.Body<Integer> body = n -> {
   *   var size = n.startSoon(() -> Files.size(path));
   *   size.waitDone();
   *   return Math.toIntExact(size.result());
   * };
   * int bytes = Nursery.run(body);
   * }</pre>
   *
   * @param <T> what the body returns
   */
  @FunctionalInterface
  public interface Body<T> {
    /** Runs the body; it may start tasks into {@code nursery} and wait for them. */
    T run(Nursery nursery) throws Exception;
  }

  /**
   * The body of {@link Nursery#runVoid(VoidBody)}.
   *
   * <pre>{@code
   * Nursery.runVoid(n -> urls.forEach(url -> n.startSoon(() -> warmUp(url))));
   * }</pre>
   */
  @FunctionalInterface
  public interface VoidBody {
    /** Runs the body; it may start tasks into {@code nursery}. */
    void run(Nursery nursery) throws Exception;
  }

  /**
   * Configures a nursery: name, deadline and what happens when it expires, thread factory.
   *
   * <pre>{@code
   * List<Quote> quotes = Nursery.builder()
   *     .name("quotes")
   *     .timeout(Duration.ofMillis(300))
   *     .moveOnTimeout()      // on expiry: cancel the rest and return what the body returns
   *     .run(n -> collectQuotes(n));
   * }</pre>
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable Duration timeout;
    private @Nullable Instant deadline;
    private boolean failOnTimeout = true;
    private @Nullable ThreadFactory threadFactory;
    private @Nullable Limiter limiter;

    private Builder() {}

    /**
     * Every task started in the nursery (except background tasks) takes a slot from {@code limiter}
     * before its thread is created, as well as from its own limiter if it has one (see {@link
     * Limiter} for how limits compose); {@code startSoon} still returns at once, with a pending
     * handle if the task has to queue.
     */
    public Builder limiter(Limiter limiter) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** Shorthand for {@code limiter(Limiter.maxAtOnce(n))}. */
    public Builder maxAtOnce(int n) {
      return limiter(Limiter.maxAtOnce(n));
    }

    /**
     * The nursery's name, shown in its threads' names ({@code nursery/task}, or {@code
     * nursery/name} for a named task), messages and {@code toString()}.
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Cancels the nursery once {@code timeout} has elapsed after it opens. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Cancels the nursery at {@code deadline}. With a timeout too, the earlier one wins. */
    public Builder deadline(Instant deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * On expiry, return normally instead of throwing {@link NurseryTimeoutException} (Trio's {@code
     * move_on_after}); the body's value is returned if the body finished, else {@code null}.
     */
    public Builder moveOnTimeout() {
      this.failOnTimeout = false;
      return this;
    }

    /** Creates the tasks' threads with {@code factory} instead of as named virtual threads. */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** Like {@link Nursery#run(Body)}, with this configuration. */
    public <T> @Nullable T run(Body<T> body) {
      Objects.requireNonNull(body, "body");
      Nursery nursery = open();
      T value = null;
      Throwable failure = null;
      boolean cancelledWhenCaught = false;
      try {
        value = body.run(nursery);
      } catch (Throwable t) {
        failure = t;
        cancelledWhenCaught = nursery.bodyCancelRequested();
      }
      nursery.endOwnerPhase("run");
      return nursery.finish(value, failure, cancelledWhenCaught);
    }

    /** Like {@link Nursery#runVoid(VoidBody)}, with this configuration. */
    public void runVoid(VoidBody body) {
      Objects.requireNonNull(body, "body");
      run(n -> {
        body.run(n);
        return null;
      });
    }

    /** Like {@link Nursery#open()}, with this configuration. */
    public Nursery open() {
      Nursery nursery = new Nursery(this, ResultCapture.current());
      nursery.begin();
      return nursery;
    }

    long deadlineNanos(long now) {
      long result = Long.MAX_VALUE;
      if (timeout != null) {
        result =
            now + Math.max(0, Math.min(ResultBase.saturatedNanos(timeout), Long.MAX_VALUE / 4));
      }
      if (deadline != null) {
        Duration until = Duration.between(Instant.now(), deadline);
        long atDeadline =
            now
                + Math.max(
                    -Long.MAX_VALUE / 4,
                    Math.min(ResultBase.saturatedNanos(until), Long.MAX_VALUE / 4));
        if (result == Long.MAX_VALUE || atDeadline - result < 0) {
          result = atDeadline;
        }
      }
      return result;
    }
  }
}
