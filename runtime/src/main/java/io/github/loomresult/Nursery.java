package io.github.loomresult;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
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
  private final Thread owner;
  private final ResultCapture<Object> body;
  private final Deadline deadline;
  // Final, and read by the parts that work on the nursery (TaskLaunch, NurseryView).
  final @Nullable ResultCapture<?> parentTask;
  final boolean failOnTimeout;
  final @Nullable Limiter limiter;
  // What the tasks carry from the code that starts them; null (the usual case) for nothing.
  final @Nullable ContextCarrier carrier;
  final TaskThreads threads;
  final TaskRegistry registry;
  final CancelScope scope;
  // The probe, if the tree or a flight recording watched this nursery when it opened (see
  // Observability): written and read by the owner only.
  private @Nullable NurseryProbe probe;

  private Nursery(Builder config, @Nullable ResultCapture<?> parentTask) {
    this.name = config.name != null ? config.name : "nursery-" + NAME_SEQUENCE.incrementAndGet();
    this.threads = new TaskThreads(this, name, config.threadFactory);
    this.parentTask = parentTask;
    this.owner = Thread.currentThread();
    this.failOnTimeout = config.failOnTimeout;
    this.limiter = config.limiter;
    this.body = ResultCapture.builder().name("body").build(() -> null);
    body.nursery = this;
    this.registry = new TaskRegistry(owner, body);
    this.scope = new CancelScope(this, registry);
    Nursery parentNursery = parentTask == null ? null : parentTask.nursery;
    this.deadline =
        Deadline.of(
            System.nanoTime(),
            config.timeout,
            config.deadline,
            parentNursery == null ? Deadline.NONE : parentNursery.deadline);
    this.carrier = config.carrier(parentNursery);
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
    return TaskLaunch.launch(this, ResultCapture.builder().name("background").build(task), true);
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
    return StartProtocol.start(this, name, task);
  }

  // ---- cancellation -------------------------------------------------------------------------

  /**
   * Cancels the body and every task of this nursery. A nursery cancelled this way returns normally
   * (with the body's value if the body finished anyway, otherwise {@code null}), and the captures
   * of the cancelled tasks end {@link TaskState#CANCELLED}. Tasks started afterwards are cancelled
   * before they begin. Idempotent.
   */
  public void cancel() {
    scope.cancel();
  }

  /** Whether this nursery has been cancelled, for any reason. */
  public boolean isCancelled() {
    return scope.isCancelled();
  }

  /** Whether this nursery's tasks are being cancelled, all of them or only the background ones. */
  boolean cancelsItsTasks() {
    return scope.cancelsNewTasks();
  }

  /** This nursery's name, used in its threads' names and in messages. */
  public String name() {
    return name;
  }

  /** The effective deadline: the earlier of its own and the enclosing nurseries', if any. */
  public @Nullable Instant deadline() {
    return deadline.instant();
  }

  /**
   * Cancels this nursery for its enclosing task. Returns true if this nursery's body runs on {@code
   * parentThread} and took the cancellation over: it interrupts that thread itself (or, if it is
   * shielded, later) and re-asserts the enclosing task's interrupt when it ends.
   */
  boolean cancelFromParent(@Nullable Thread parentThread) {
    return scope.cancelFromParent(() -> owner == parentThread && TaskControl.requestCancel(body));
  }

  void recordFailure(Throwable failure) {
    scope.recordFailure(failure);
  }

  /** The deadline's timer calls this. */
  void expire() {
    scope.expire();
  }

  // ---- the owner's side ---------------------------------------------------------------------

  private void begin() {
    scope.entered(Thread.currentThread().isInterrupted());
    probe = Observability.nurseryOpened(this);
    TaskExecution.enterInline(body);
    if (parentTask != null) {
      TaskControl.registerNested(parentTask, this);
    }
    deadline.arm(this::expire);
  }

  /**
   * Ends the body with its value or exception, waits for every task, and reports: the core of
   * {@link #run}, {@link #join()} and {@link #close()}.
   */
  private <T> @Nullable T finish(
      @Nullable T value, @Nullable Throwable failure, boolean cancelledWhenCaught) {
    scope.bodyEnded(body, failure, cancelledWhenCaught);
    TaskExecution.leaveInline(body, parentTask, value, failure);
    registry.finished(body, null, false);
    registry.awaitQuiescence(scope, this);
    registry.joinExitingThreads();
    deadline.disarm();
    if (parentTask != null) {
      TaskControl.unregisterNested(parentTask, this);
      // If the enclosing task is being cancelled, its interrupt may still be on its way (its
      // canceller walks this nursery first, and our tasks do not wait for their own interrupts
      // to land): let it land, so that whoever catches what we report sees it pending (N6).
      TaskControl.awaitInterruptDelivered(parentTask);
    }
    NurseryProbe observed = probe;
    if (observed != null) {
      Observability.nurseryEnded(this, observed);
    }
    return scope.report(
        name,
        value,
        body.state() == TaskState.SUCCEEDED,
        body.extras().foreignInterruptSeen,
        failOnTimeout);
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
    if (scope.isBodyEnded()) {
      return;
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
    scope.checkBodyRunning("join", name);
    return finish(value, failure, cancelledWhenCaught);
  }

  /** Whether this nursery's body (its owner's code) was asked to cancel. */
  boolean bodyCancelRequested() {
    return TaskControl.isCancelRequested(body);
  }

  private void checkOwner(String what) {
    if (Thread.currentThread() != owner) {
      throw new WrongThreadException(
          what + "() of nursery '" + name + "' must be called by the thread that opened it");
    }
  }

  /**
   * Name, state and task counts: {@code Nursery[fetch, open, running=3, finished=12]}. Read without
   * a lock: exact when nothing starts or finishes meanwhile.
   */
  @Override
  public String toString() {
    return NurseryView.summary(this);
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
    private List<ThreadContext<?>> threadContexts = List.of();
    private List<Object> scopedValues = List.of();

    private Builder() {}

    /**
     * Every task started in the nursery carries {@code context} from the code that starts it, in
     * addition to the contexts every nursery carries ({@link ContextPropagation}); so do the tasks
     * of nurseries nested in its tasks. See {@link ThreadContext}.
     */
    public Builder threadContext(ThreadContext<?> context) {
      Objects.requireNonNull(context, "context");
      threadContexts = new ArrayList<>(threadContexts);
      threadContexts.add(context);
      return this;
    }

    /**
     * Every task started in the nursery sees the bindings {@code scopedValues} (each a {@code
     * java.lang.ScopedValue}) have where it is started, as do the tasks of nurseries nested in its
     * tasks; in addition to those every nursery carries ({@link
     * ContextPropagation#carryScopedValues(Object...)}).
     *
     * <pre>{@code
     * String user = ScopedValue.where(USER, "alice").call(() ->
     *     Nursery.builder().carryScopedValues(USER).run(n -> {
     *       ResultCapture<String> task = n.startSoon(USER::get);
     *       task.waitDone();
     *       return task.result(); // "alice"
     *     }));
     * }</pre>
     *
     * @throws UnsupportedOperationException on a JDK before 25, which has no final {@code
     *     ScopedValue} API
     * @throws IllegalArgumentException if an argument is not a {@code java.lang.ScopedValue}
     */
    public Builder carryScopedValues(Object... scopedValues) {
      List<Object> checked = ContextPropagation.checkedScopedValues(scopedValues);
      this.scopedValues = new ArrayList<>(this.scopedValues);
      this.scopedValues.addAll(checked);
      return this;
    }

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
      nursery.scope.checkBodyRunning("run", nursery.name);
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

    /** What the nursery's tasks carry: its parent's or every nursery's, and this builder's. */
    @Nullable ContextCarrier carrier(@Nullable Nursery parent) {
      ContextCarrier inherited = parent == null ? null : parent.carrier;
      if (inherited == null) {
        inherited = ContextPropagation.global();
      }
      return ContextCarrier.of(inherited, threadContexts, scopedValues);
    }
  }
}
