package io.github.loomresult;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The handle of one task: it runs the task, captures its value or exception, and lets anyone read
 * them (aioresult's {@code ResultCapture}).
 *
 * <p>Started in a nursery with {@link #startSoon(Nursery, Callable)} (or {@link
 * Nursery#startSoon(Callable)}), the task runs on its own virtual thread, and an exception it
 * throws is both kept in the capture and propagated into the nursery, which cancels the other tasks
 * (the key design of aioresult). A capture built with {@link Builder#suppressException()} keeps
 * ordinary exceptions to itself; {@link Error}s always propagate.
 *
 * <p>{@link #cancel()} cancels this task only: its thread is interrupted, the capture ends {@link
 * TaskState#CANCELLED}, and the nursery does not treat it as a failure. A task that swallows the
 * interrupt and returns a value is recorded as {@link TaskState#SUCCEEDED}: an outcome is never
 * dropped.
 *
 * <pre>{@code
 * List<String> pages = Nursery.run(n -> {
 *   var a = ResultCapture.startSoon(n, () -> http.get("/a"));
 *   var b = ResultCapture.startSoon(n, () -> http.get("/b"));
 *   return List.of(a, b);
 * }).stream().map(ResultCapture::result).toList();
 * }</pre>
 *
 * @param <T> the value type
 */
public final class ResultCapture<T> extends ResultBase<T> implements Runnable {
  // Every task keeps its capture as long as it runs, and a nursery's caller usually keeps them all:
  // its fields are the ones nearly every task uses (56 B with compressed oops: eleven words after
  // the header, no byte more); the others live in CaptureExtras, made only for a task that uses one
  // of them. The task as given is the body itself (or inside the body's CarriedCall) unless the
  // capture adapted it: then it is in the extras.

  private static final VarHandle EXTRAS;

  static {
    try {
      EXTRAS =
          MethodHandles.lookup().findVarHandle(ResultCapture.class, "extras", CaptureExtras.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The number word: the start number in bits 0..28 (0 until launched; it wraps after 2^29 - 1
  // tasks of one nursery) and three flags. Options are fixed when the capture is built, the number
  // and BACKGROUND by the launch, before the push into the registry publishes the capture; never
  // written afterwards.
  private static final int NUMBER_MASK = (1 << 29) - 1;
  private static final int SUPPRESS_EXCEPTION = 1 << 29;

  /** A task of a map or gather run: named {@code input-N} when asked (see {@link #mapInput}). */
  private static final int MAP_INPUT = 1 << 30;

  private static final int BACKGROUND = 1 << 31;

  // Replaced by the context-carrying call when the nursery carries context (before the task is
  // published by the push into the registry); read once, by the thread that runs the task.
  Callable<? extends T> body;
  private int number;

  // The task's cancellation state: the ctl word and the fields below it are TaskControl's (see
  // there for every state, transition and writer).
  @SuppressWarnings("unused") // accessed through TaskControl.CTL
  volatile int ctl;

  volatile @Nullable Thread runner;

  // Set by the nursery before the task starts (published by the push into its registry).
  volatile @Nullable Nursery nursery;
  // The nursery's registry links and exit mark: TaskRegistry's (see there).
  @Nullable ResultCapture<?> next;
  @Nullable Object exit;

  /** The rarely used fields, or null while none is set: see {@link CaptureExtras}. */
  private volatile @Nullable CaptureExtras extras;

  ResultCapture(
      Object task,
      Callable<? extends T> body,
      @Nullable String explicitName,
      boolean suppressException) {
    this(task, body, explicitName, suppressException ? SUPPRESS_EXCEPTION : 0);
  }

  private ResultCapture(
      Object task, Callable<? extends T> body, @Nullable String explicitName, int options) {
    this.body = body;
    this.number = options;
    if (explicitName != null || task != body) {
      this.extras = new CaptureExtras(explicitName, task == body ? null : task);
    }
  }

  // ---- creation ---------------------------------------------------------------------------

  /**
   * Starts {@code task} in {@code nursery} and returns its capture at once; the task has not
   * necessarily begun. Same as {@link Nursery#startSoon(Callable)}.
   *
   * @throws IllegalStateException if the nursery is closed to new arrivals
   */
  public static <T> ResultCapture<T> startSoon(Nursery nursery, Callable<? extends T> task) {
    Objects.requireNonNull(nursery, "nursery");
    Objects.requireNonNull(task, "task");
    // The hot path: no builder, just the capture.
    return TaskLaunch.launch(nursery, new ResultCapture<>(task, task, null, false), false);
  }

  /** Starts a task without a value; see {@link #startSoon(Nursery, Callable)}. */
  public static ResultCapture<Void> startSoon(Nursery nursery, VoidTask task) {
    return builder().startSoon(nursery, task);
  }

  /** A capture of {@code task} that has not started: {@link #run()} it yourself. */
  public static <T> ResultCapture<T> of(Callable<? extends T> task) {
    return builder().build(task);
  }

  /** A builder for named captures and captures that keep their exceptions to themselves. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts {@code task} under the start protocol in {@code nursery} and returns two captures at
   * once: one for the value passed to {@link TaskStatus#started(Object)}, one for the final value.
   * Same as {@link #captureStartAndDone(Nursery, Nursery, StartableTask)} with one nursery.
   */
  public static <S, R> StartAndDone<S, R> captureStartAndDone(
      Nursery nursery, StartableTask<S, R> task) {
    return captureStartAndDone(nursery, nursery, task);
  }

  /**
   * aioresult's {@code capture_start_and_done_results}: a task in {@code startNursery} calls {@code
   * runNursery.start(task)} and captures the start value; the task itself runs in {@code
   * runNursery} and its final value is captured too. Both captures always end done: if {@code
   * runNursery} is closed, or the task fails before it is started, both hold that exception (the
   * start capture's exception propagates into {@code startNursery}, as a failed {@code start}
   * would).
   *
   * @throws IllegalStateException if {@code startNursery} is closed to new arrivals
   */
  public static <S, R> StartAndDone<S, R> captureStartAndDone(
      Nursery startNursery, Nursery runNursery, StartableTask<S, R> task) {
    Objects.requireNonNull(startNursery, "startNursery");
    Objects.requireNonNull(runNursery, "runNursery");
    Objects.requireNonNull(task, "task");
    return StartProtocol.captureStartAndDone(startNursery, runNursery, task);
  }

  /**
   * A task of a map or gather run: named {@code input-N} when asked. Its nursery starts only these
   * tasks, in input order, so its start number is the input's index plus one.
   */
  static <R> ResultCapture<R> mapInput(Callable<? extends R> body, boolean suppressException) {
    return new ResultCapture<>(
        body, body, null, MAP_INPUT | (suppressException ? SUPPRESS_EXCEPTION : 0));
  }

  /** The start number in its nursery: 1 for the first task, 0 until launched. */
  int sequence() {
    return number & NUMBER_MASK;
  }

  /** Whether the task was started as a background task. */
  boolean isBackground() {
    return (number & BACKGROUND) != 0;
  }

  /** Fixes the start number and the kind, at the launch, before the capture is published. */
  void launchedAs(int sequence, boolean background) {
    number =
        number & (SUPPRESS_EXCEPTION | MAP_INPUT)
            | sequence & NUMBER_MASK
            | (background ? BACKGROUND : 0);
  }

  /** The rarely used fields, or null if none was ever set. */
  @Nullable CaptureExtras extrasOrNull() {
    return extras;
  }

  /**
   * The rarely used fields, made now if none was set yet (by whichever thread gets there first).
   */
  CaptureExtras extras() {
    CaptureExtras x = extras;
    if (x == null) {
      CaptureExtras made = new CaptureExtras(null, null);
      x = (CaptureExtras) EXTRAS.compareAndExchange(this, null, made);
      if (x == null) {
        x = made;
      }
    }
    return x;
  }

  /** The task's own limiter, from its builder, or null. */
  @Nullable Limiter limiter() {
    CaptureExtras x = extras;
    return x == null ? null : x.limiter;
  }

  /** The limiters this task passes before it starts, or null. */
  @Nullable Admission admission() {
    CaptureExtras x = extras;
    return x == null ? null : x.admission;
  }

  /** The observation of this task, while someone observes it; null otherwise. */
  @Nullable TaskObservation observation() {
    CaptureExtras x = extras;
    return x == null ? null : x.observation;
  }

  /** The start protocol waiting for this task to start, or null. */
  private @Nullable StartProtocol<?> startProtocol() {
    CaptureExtras x = extras;
    return x == null ? null : x.startProtocol;
  }

  static @Nullable ResultCapture<?> current() {
    return CurrentTask.get();
  }

  /**
   * Whether this task, bound as its thread's task, is the current one: nothing runs inline on top
   * of it (that would be the thread's entry) and its code has not returned.
   */
  boolean isInnermostOnItsThread() {
    CaptureExtras x = extras;
    return (x == null || x.inlineDepth == 0) && !TaskControl.isFinished(this);
  }

  // ---- public handle API --------------------------------------------------------------------

  /**
   * Runs the task on the calling thread, if this capture was built unstarted with {@link
   * #of(Callable)} or {@link Builder#build(Callable)}. A second call is refused before the task
   * would run again.
   *
   * <p>After a failure the exception is kept in the capture and, unless the capture suppresses
   * exceptions, also thrown from here wrapped in {@link TaskFailedException} (there is no nursery
   * to report it to: the caller is the one who ran it). A cancelled task returns normally. A task
   * that ended by an interrupt of the calling thread that was not this capture's cancellation
   * leaves the interrupt status set.
   *
   * <p>A capture is a {@link Runnable}: an unstarted one can be handed to an executor, which calls
   * this method. (A capture started in a nursery is the {@code Runnable} of the thread the nursery
   * created for it; that thread's call runs it in the nursery, and only that call.)
   *
   * @throws IllegalStateException if the capture was already run or started
   * @throws TaskFailedException if the task failed and the capture does not suppress exceptions
   */
  @Override
  public void run() {
    if (TaskExecution.isItsThreadStarting(this)) { // the nursery's thread, claimed by the nursery
      TaskExecution.runInNursery(this, true);
      return;
    }
    if (!claim()) {
      throw new IllegalStateException(describeForMessage() + " was already run or started");
    }
    TaskExecution.runHere(this);
    if (state() == TaskState.FAILED) {
      Throwable failure = Objects.requireNonNull(exception());
      if (!TaskControl.isCancelRequested(this) && Cancellation.isInterruptType(failure)) {
        // Nothing of ours interrupted this thread (a request comes before our interrupt): the
        // task consumed someone else's interrupt, which the caller must still see.
        Thread.currentThread().interrupt();
      }
      if (!suppresses(failure)) {
        throw new TaskFailedException(this, failure);
      }
    }
  }

  /**
   * Cancels this task only: its thread is interrupted (or, if it has not begun, it never will), and
   * the capture ends {@link TaskState#CANCELLED} unless the task ignores the interrupt and returns
   * a value. The nursery does not treat this as a failure. Does nothing on a done capture.
   *
   * @return whether this call requested the cancellation
   */
  public boolean cancel() {
    if (TaskControl.claimForCancel(this)) {
      completeWith(new TaskCancelledException(this, " was cancelled", null), TaskState.CANCELLED);
      return true;
    }
    Observability.taskCancelRequested(this);
    boolean requested = TaskControl.requestCancel(this);
    Nursery n = nursery;
    Admission a = admission();
    // Only a task that has not begun can be in a limiter's queue.
    if (requested && n != null && a != null && state() == TaskState.PENDING) {
      a.withdrawForCancel();
    }
    return requested;
  }

  /**
   * Whether cancellation of this task was requested, by {@link #cancel()} or its nursery; true for
   * every {@link TaskState#CANCELLED} task, also one that ended on its own after its nursery began
   * cancelling and before the cancellation reached it.
   */
  public boolean isCancelRequested() {
    return TaskControl.isCancelRequested(this) || state() == TaskState.CANCELLED;
  }

  /**
   * The task's name: the one given to the builder, or {@code task-N} in its nursery (computed when
   * asked). The thread of a named task is named {@code nursery/name}; the threads of unnamed tasks
   * all share the name {@code nursery/task}, which costs nothing per task.
   */
  public String name() {
    int sequence = sequence();
    if ((number & MAP_INPUT) != 0) {
      return sequence == 0 ? "input" : "input-" + (sequence - 1);
    }
    String explicitName = explicitName();
    if (explicitName != null) {
      return explicitName;
    }
    return sequence == 0 ? "task" : "task-" + sequence;
  }

  /** The name given to the builder, or null: for the nursery, which names threads after it. */
  @Nullable String explicitName() {
    CaptureExtras x = extras;
    return x == null ? null : x.explicitName;
  }

  /** What this capture runs: the {@link Callable}, {@link VoidTask} or {@link StartableTask}. */
  public Object task() {
    CaptureExtras x = extras;
    if (x != null && x.task != null) {
      return x.task;
    }
    Callable<? extends T> b = body;
    return b instanceof CarriedCall<?> carried ? carried.body() : b;
  }

  /** A readable description of the task for diagnostics: its name and what it runs. */
  public String description() {
    return name() + " (" + Diagnostics.task(task()) + ")";
  }

  /**
   * A {@link CompletableFuture} view of this capture; no thread is used. If {@code
   * cancelTaskOnCancel} is true, cancelling the view cancels the task; otherwise the view is
   * independent of the task, as with {@link #toCompletableFuture()}.
   */
  public CompletableFuture<T> toCompletableFuture(boolean cancelTaskOnCancel) {
    CompletableFuture<T> view = toCompletableFuture();
    if (cancelTaskOnCancel) {
      view.whenComplete((value, error) -> {
        if (error instanceof CancellationException && !isDone()) {
          cancel();
        }
      });
    }
    return view;
  }

  /** The short form with the name: {@code ResultCapture[fetch, result=42]}. */
  @Override
  public String toString() {
    return "ResultCapture[" + name() + ", " + stateText() + "]";
  }

  /** The verbose form: {@link #toString()} plus what the task runs. */
  public String toVerboseString() {
    return "ResultCapture["
        + name()
        + ", "
        + stateText()
        + ", task="
        + Diagnostics.task(task())
        + "]";
  }

  @Override
  String describeForMessage() {
    return "task '" + name() + "'";
  }

  // ---- claimed, settled, ended (TaskLaunch and TaskExecution drive these) ------------------

  boolean claim() {
    return TaskControl.claim(this);
  }

  /** Ends this capture cancelled if nobody launched it: its launcher ended without doing so. */
  void cancelUnlaunched() {
    if (TaskControl.claimForCancel(this)) {
      completeWith(
          new TaskCancelledException(this, " was cancelled before it started", null),
          TaskState.CANCELLED);
    }
  }

  /**
   * Captures the starting thread's context into this task: its code will run inside it. Called by
   * the nursery at the start call, after {@link #claim()}; fails the capture if the capture fails.
   */
  void carryContext(ContextCarrier carrier) {
    try {
      body = carrier.capture(body);
    } catch (RuntimeException | Error e) {
      failUnstarted(e);
      throw e;
    }
  }

  /** The nursery is about to start {@code thread}, whose {@code Runnable} is this capture. */
  void assignThread(@Nullable Thread thread) {
    runner = thread;
  }

  /** Settles this capture with what its code returned or threw. */
  void settle(@Nullable T value, @Nullable Throwable failure) {
    StartProtocol<?> signal = startProtocol();
    if (failure == null) {
      if (signal != null) {
        signal.abortIfWaiting(
            new IllegalStateException(describeForMessage() + " returned without calling started()"),
            StartProtocol.Abort.NOT_STARTED);
      }
      completeWith(value, TaskState.SUCCEEDED);
    } else if (isBeingCancelled() && Cancellation.isCancellation(failure)) {
      TaskCancelledException cancelled =
          new TaskCancelledException(this, " was cancelled", failure);
      if (signal != null) {
        signal.abortIfWaiting(cancelled, StartProtocol.Abort.CANCELLED);
      }
      completeWith(cancelled, TaskState.CANCELLED);
    } else {
      boolean toStarter =
          signal != null && signal.abortIfWaiting(failure, StartProtocol.Abort.FAILED);
      Nursery n = nursery;
      if (!toStarter && n != null && !suppresses(failure)) {
        n.recordFailure(failure);
      }
      completeWith(failure, TaskState.FAILED);
    }
  }

  /**
   * Whether this task's cancellation was requested, or its nursery's has begun: the nursery counts
   * as cancelled before any task is interrupted, so a task (or the body) that reacts to a cancelled
   * sibling before the cancellation reaches it is cancelled, not failed.
   */
  private boolean isBeingCancelled() {
    Nursery n = nursery;
    return TaskControl.isCancelRequested(this) || (n != null && n.cancelsItsTasks());
  }

  /** Ends a task that was withdrawn from its limiter's queue by a cancellation. */
  void cancelQueued() {
    TaskControl.markFinished(this);
    settleCancelledBeforeStart();
  }

  void settleCancelledBeforeStart() {
    TaskCancelledException cancelled =
        new TaskCancelledException(this, " was cancelled before it started", null);
    StartProtocol<?> signal = startProtocol();
    if (signal != null) {
      signal.abortIfWaiting(cancelled, StartProtocol.Abort.CANCELLED);
    }
    completeWith(cancelled, TaskState.CANCELLED);
  }

  /** Ends a capture whose task could not be started at all (no thread, or a closed nursery). */
  void failUnstarted(Throwable error) {
    TaskControl.markUnstarted(this);
    StartProtocol<?> signal = startProtocol();
    if (signal != null) {
      signal.abortIfWaiting(error, StartProtocol.Abort.FAILED);
    }
    completeWith(error, TaskState.FAILED);
  }

  private boolean suppresses(Throwable failure) {
    return (number & SUPPRESS_EXCEPTION) != 0
        && failure instanceof Exception
        && !(failure instanceof CancellationException);
  }

  /** The thread running the task's code now, or null (for the nursery tree). */
  @Nullable Thread thread() {
    return runner;
  }

  /** The nurseries open inside this task now (for the nursery tree). */
  List<Nursery> nestedNurseries() {
    CaptureExtras x = extras;
    List<Nursery> list = x == null ? null : x.nested;
    return list == null ? List.of() : list;
  }

  // ---- builder ------------------------------------------------------------------------------

  /**
   * Configures a capture before it starts: a name (shown in its thread's name and diagnostics) and
   * whether ordinary exceptions stay in the capture instead of propagating into the nursery.
   *
   * <pre>{@code
   * ResultCapture<Profile> profile = ResultCapture.builder()
   *     .name("profile")
   *     .suppressException()           // a failure here must not cancel the siblings
   *     .startSoon(nursery, () -> profiles.load(userId));
   * }</pre>
   */
  public static final class Builder {
    private @Nullable String name;
    private boolean suppressException;
    private @Nullable Limiter limiter;
    private @Nullable Duration timeout;

    private Builder() {}

    /**
     * Bounds the task by {@code timeout} from when it starts running; see {@link TaskTimeout}. On
     * expiry it is cancelled and fails with {@link TaskTimeoutException}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Builder timeout(Duration timeout) {
      TaskTimeout.check(timeout);
      this.timeout = timeout;
      return this;
    }

    /**
     * Takes a slot (and a token) from {@code limiter} before the task's thread is created, as well
     * as from the nursery's limiter, if it has one: a task passes every limiter that applies to it
     * (see {@link Limiter} for the order, which rules out deadlock).
     */
    public Builder limiter(Limiter limiter) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** The task's name. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Keeps ordinary exceptions ({@link Exception} subclasses) in the capture only; {@link Error}s
     * and cancellation still propagate into the nursery.
     */
    public Builder suppressException() {
      this.suppressException = true;
      return this;
    }

    /** An unstarted capture of {@code task}, to {@link ResultCapture#run()} yourself. */
    public <T> ResultCapture<T> build(Callable<? extends T> task) {
      Objects.requireNonNull(task, "task");
      return configure(new ResultCapture<>(task, bounded(task), name, suppressException));
    }

    private <T> Callable<? extends T> bounded(Callable<? extends T> body) {
      return timeout == null ? body : TaskTimeout.limit(timeout, body);
    }

    private <T> ResultCapture<T> configure(ResultCapture<T> capture) {
      if (limiter != null) {
        capture.extras().limiter = limiter;
      }
      return capture;
    }

    /** An unstarted capture of a task without a value. */
    public ResultCapture<Void> build(VoidTask task) {
      Objects.requireNonNull(task, "task");
      return configure(
          new ResultCapture<>(task, bounded(asCallable(task)), name, suppressException));
    }

    /**
     * Starts {@code task} in {@code nursery} and returns its capture at once.
     *
     * @throws IllegalStateException if the nursery is closed to new arrivals
     */
    public <T> ResultCapture<T> startSoon(Nursery nursery, Callable<? extends T> task) {
      Objects.requireNonNull(nursery, "nursery");
      return TaskLaunch.launch(nursery, build(task), false);
    }

    /** Starts a task without a value; see {@link #startSoon(Nursery, Callable)}. */
    public ResultCapture<Void> startSoon(Nursery nursery, VoidTask task) {
      Objects.requireNonNull(nursery, "nursery");
      return TaskLaunch.launch(nursery, build(task), false);
    }
  }

  static Callable<Void> asCallable(VoidTask task) {
    return () -> {
      task.run();
      return null;
    };
  }
}
