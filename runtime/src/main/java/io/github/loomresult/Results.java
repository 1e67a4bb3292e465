package io.github.loomresult;

import java.time.Duration;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Waiting for many handles, and running many tasks at once: aioresult's {@code wait_all}, {@code
 * wait_any} and {@code results_to_channel}, trio-future's gather, and trimeter's map.
 *
 * <p>Waiting ({@link #waitAll}, {@link #waitAny}, {@link #inCompletionOrder}) works on any mix of
 * {@link ResultCapture}s and {@link Future}s, never throws the tasks' exceptions, and costs no
 * thread per handle: completion notifies the waiters.
 *
 * <p>Gathering and mapping ({@link #gather}, {@link #map}, {@link #mapStream}) run their tasks in a
 * nursery of their own, owned by the calling thread, so nothing outlives the call. Inputs are
 * pulled lazily: with a {@link Limiter}, an input is taken from the iterable only when its task can
 * start. The list forms fail fast (the first failure cancels the rest and is thrown as {@link
 * NurseryFailedException}); the outcome forms never throw for a task's failure.
 *
 * <pre>{@code
 * // 200 lookups, 16 at a time, values in input order; the first failure cancels the rest:
 * List<Price> prices = Results.map(skus, sku -> pricing.lookup(sku), Limiter.maxAtOnce(16));
 *
 * // The first of several mirrors to answer:
 * ResultCapture<byte[]> first = Results.waitAny(List.of(mirrorA, mirrorB, mirrorC));
 * }</pre>
 */
public final class Results {
  private Results() {}

  // ---- waiting --------------------------------------------------------------------------------

  /**
   * Blocks until every handle is done. Never throws the tasks' exceptions.
   *
   * @throws InterruptedException if interrupted while waiting; the tasks are unaffected
   */
  public static void waitAll(Iterable<? extends ResultBase<?>> handles)
      throws InterruptedException {
    for (ResultBase<?> h : checked(handles)) {
      h.waitDone();
    }
  }

  /** {@link #waitAll(Iterable)} for handles given one by one. */
  public static void waitAll(ResultBase<?>... handles) throws InterruptedException {
    waitAll(Arrays.asList(handles));
  }

  /**
   * Blocks until every handle is done or {@code timeout} has elapsed.
   *
   * @return whether every handle is done
   * @throws InterruptedException if interrupted while waiting; the tasks are unaffected
   */
  public static boolean waitAll(Iterable<? extends ResultBase<?>> handles, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + clamp(timeout);
    for (ResultBase<?> h : checked(handles)) {
      if (!h.isDone() && !h.waitDone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Blocks until one of the handles is done and returns it: if several are done already, the first
   * of them in iteration order (deterministically).
   *
   * @throws IllegalArgumentException if {@code handles} is empty
   * @throws InterruptedException if interrupted while waiting; the tasks are unaffected
   */
  public static <H extends ResultBase<?>> H waitAny(Iterable<H> handles)
      throws InterruptedException {
    return Objects.requireNonNull(awaitAny(checked(handles), Long.MAX_VALUE, false));
  }

  /**
   * Like {@link #waitAny(Iterable)}, waiting at most {@code timeout}; empty if none finished in
   * time.
   *
   * @throws IllegalArgumentException if {@code handles} is empty
   * @throws InterruptedException if interrupted while waiting; the tasks are unaffected
   */
  public static <H extends ResultBase<?>> Optional<H> waitAny(Iterable<H> handles, Duration timeout)
      throws InterruptedException {
    return Optional.ofNullable(awaitAny(checked(handles), clamp(timeout), true));
  }

  private static <H extends ResultBase<?>> @Nullable H awaitAny(
      List<H> handles, long timeoutNanos, boolean timed) throws InterruptedException {
    if (handles.isEmpty()) {
      throw new IllegalArgumentException("waitAny needs at least one handle");
    }
    H done = firstDone(handles);
    if (done != null || (timed && timeoutNanos <= 0)) {
      return done;
    }
    Thread waiter = Thread.currentThread();
    Runnable wake = () -> LockSupport.unpark(waiter);
    List<Object> tokens = new ArrayList<>(handles.size());
    try {
      for (H h : handles) {
        Object token = h.armCallback(wake);
        if (token == null) {
          return firstDone(handles);
        }
        tokens.add(token);
      }
      long deadline = System.nanoTime() + timeoutNanos;
      while ((done = firstDone(handles)) == null) {
        if (timed) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return null;
          }
          LockSupport.parkNanos(handles, remaining);
        } else {
          LockSupport.park(handles);
        }
        if (firstDone(handles) == null && Thread.interrupted()) {
          throw new InterruptedException("interrupted in waitAny");
        }
      }
      return done;
    } finally {
      for (int i = 0; i < tokens.size(); i++) {
        handles.get(i).disarm(tokens.get(i));
      }
    }
  }

  private static <H extends ResultBase<?>> @Nullable H firstDone(List<H> handles) {
    for (H h : handles) {
      if (h.isDone()) {
        return h;
      }
    }
    return null;
  }

  /**
   * The handles in the order they complete, as a closeable iterator, stream and channel; see {@link
   * CompletionChannel}. Handles already done come first, in iteration order.
   */
  public static <H extends ResultBase<?>> CompletionChannel<H> inCompletionOrder(
      Iterable<? extends H> handles) {
    return new CompletionChannel<>(checked(handles));
  }

  // ---- gathering --------------------------------------------------------------------------------

  /**
   * Runs every task at once in a nursery of its own and returns their values in input order. The
   * first failure cancels the others.
   *
   * @throws NurseryFailedException if a task failed; its cause is the first failure
   */
  public static <T> List<@Nullable T> gather(Collection<? extends Callable<? extends T>> tasks) {
    return gather(tasks, null);
  }

  /** {@link #gather(Collection)} with at most {@code limiter}'s tasks running or starting. */
  public static <T> List<@Nullable T> gather(
      Collection<? extends Callable<? extends T>> tasks, @Nullable Limiter limiter) {
    return mapNamed("gather", checkedTasks(tasks), Results.<T>call(), limiter);
  }

  /**
   * Runs every task at once in a nursery of its own and returns their outcomes in input order;
   * never throws for a task's failure (asyncio's {@code return_exceptions=True}). An {@link Error}
   * still fails the nursery.
   */
  public static <T> List<Outcome<T>> gatherOutcomes(
      Collection<? extends Callable<? extends T>> tasks) {
    return gatherOutcomes(tasks, null);
  }

  /** {@link #gatherOutcomes(Collection)} with a limiter. */
  public static <T> List<Outcome<T>> gatherOutcomes(
      Collection<? extends Callable<? extends T>> tasks, @Nullable Limiter limiter) {
    Collection<? extends Callable<? extends T>> checked = checkedTasks(tasks);
    List<Outcome<T>> out = new ArrayList<>(tasks.size());
    if (limiter == null) {
      for (ResultCapture<T> capture :
          Results.<Callable<? extends T>, T>startAllAtOnce(
              "gatherOutcomes", checked, Results.<T>call(), false)) {
        out.add(capture.outcome());
      }
      return out;
    }
    try (MapRun<Callable<? extends T>, T> run =
        new MapRun<>(
            "gatherOutcomes", checked, Callable::call, MapOrder.INPUT, false, false, limiter)) {
      while (run.hasNext()) {
        out.add(run.next().outcome());
      }
    }
    return out;
  }

  // ---- racing ---------------------------------------------------------------------------------

  /**
   * Runs every task at once and returns the first successful value; the others are cancelled and
   * awaited first. Shorthand for {@code Race.of(tasks).run()}; see {@link Race} for the rules and
   * for staggered (hedged) starts.
   *
   * @throws IllegalArgumentException if {@code tasks} is empty
   * @throws NurseryFailedException if every task failed: the first failure is its cause, every
   *     other one is suppressed
   * @throws TaskCancelledException if the race was cancelled from outside
   */
  public static <T> @Nullable T race(Collection<? extends Callable<? extends T>> tasks) {
    return Race.<T>of(tasks).run();
  }

  /**
   * Applies {@code function} to every input at once, each in its own task, and returns the first
   * successful result (mirrors: one call per input); see {@link #race(Collection)}.
   */
  public static <I, R> @Nullable R race(
      Iterable<? extends I> inputs, TaskFunction<? super I, ? extends R> function) {
    return Race.<I, R>over(inputs, function).run();
  }

  // ---- mapping --------------------------------------------------------------------------------

  /**
   * Applies {@code function} to every input, each in its own task, all at once, and returns the
   * values in input order; the first failure cancels the rest.
   *
   * @throws NurseryFailedException if a task failed; its cause is the first failure
   */
  public static <I, R> List<@Nullable R> map(
      Iterable<? extends I> inputs, TaskFunction<? super I, ? extends R> function) {
    return map(inputs, function, null);
  }

  /**
   * {@link #map(Iterable, TaskFunction)} under {@code limiter}: inputs are pulled lazily, one
   * whenever its task can start.
   */
  public static <I, R> List<@Nullable R> map(
      Iterable<? extends I> inputs,
      TaskFunction<? super I, ? extends R> function,
      @Nullable Limiter limiter) {
    return mapNamed("map", inputs, function, limiter);
  }

  private static <I, R> List<@Nullable R> mapNamed(
      String name,
      Iterable<? extends I> inputs,
      TaskFunction<? super I, ? extends R> function,
      @Nullable Limiter limiter) {
    if (limiter == null) {
      // The nursery returned normally: no task failed, and nothing cancelled it from outside
      // (that throws), so every handle holds a value.
      List<ResultCapture<R>> captures = startAllAtOnce(name, inputs, function, true);
      List<@Nullable R> out = new ArrayList<>(captures.size());
      for (ResultCapture<R> capture : captures) {
        out.add(capture.result());
      }
      return out;
    }
    List<@Nullable R> out = new ArrayList<>();
    try (MapRun<I, R> run =
        new MapRun<>(name, inputs, function, MapOrder.INPUT, true, false, limiter)) {
      while (run.hasNext()) {
        out.add(run.next().outcome().unwrap());
      }
    }
    return out;
  }

  /**
   * Applies {@code function} to every input, each in its own task, and streams every result with
   * its index and input, in input or completion order; task failures arrive as failed outcomes.
   * Inputs are pulled lazily as the stream is consumed (with a limiter, only when a task can
   * start). Consume the stream on the calling thread and close it (try-with-resources): closing it
   * early cancels the tasks still running and waits for them. Until it is closed, the calling
   * thread is the body of the map's nursery: a task failing with an {@code Error} interrupts it,
   * and a nursery opened meanwhile nests in it.
   *
   * <pre>{@code
   * try (Stream<Mapped<String, Page>> pages =
   *     Results.mapStream(urls, this::fetch, MapOrder.COMPLETION, Limiter.maxAtOnce(8))) {
   *   Optional<Page> firstGood = pages.filter(m -> m.outcome().isSuccess()).map(Mapped::value).findFirst();
   * } // the other fetches are cancelled here
   * }</pre>
   */
  public static <I, R> Stream<Mapped<I, R>> mapStream(
      Iterable<? extends I> inputs,
      TaskFunction<? super I, ? extends R> function,
      MapOrder order,
      @Nullable Limiter limiter) {
    MapRun<I, R> run = new MapRun<>("map", inputs, function, order, false, true, limiter);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(run, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(run::close);
  }

  /**
   * {@link #map(Iterable, TaskFunction, Limiter)} over a stream, which is consumed lazily (an
   * element is pulled only when its task can start) and closed when the map ends.
   */
  public static <I, R> List<@Nullable R> map(
      Stream<? extends I> inputs,
      TaskFunction<? super I, ? extends R> function,
      @Nullable Limiter limiter) {
    try (Stream<? extends I> source = Objects.requireNonNull(inputs, "inputs")) {
      return map(once(source), function, limiter);
    }
  }

  /**
   * {@link #mapStream(Iterable, TaskFunction, MapOrder, Limiter)} over a stream, which is consumed
   * lazily and closed with the returned stream.
   */
  public static <I, R> Stream<Mapped<I, R>> mapStream(
      Stream<? extends I> inputs,
      TaskFunction<? super I, ? extends R> function,
      MapOrder order,
      @Nullable Limiter limiter) {
    Stream<? extends I> source = Objects.requireNonNull(inputs, "inputs");
    return Results.<I, R>mapStream(Results.<I>once(source), function, order, limiter)
        .onClose(source::close);
  }

  /**
   * The list forms without a limiter: every input is started at once and nothing is consumed before
   * all are done, so they need no per-result hand-over (MapRun's lock, queue, callback and wake-up
   * per input): a nursery of handles, read in input order once it has ended. {@code failFast}: the
   * first failure cancels the rest and fails the nursery, as in MapRun; otherwise the handles keep
   * their exceptions (an {@link Error} still fails the nursery).
   */
  private static <I, R> List<ResultCapture<R>> startAllAtOnce(
      String name,
      Iterable<? extends I> inputs,
      TaskFunction<? super I, ? extends R> function,
      boolean failFast) {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(function, "function");
    List<ResultCapture<R>> captures =
        inputs instanceof Collection<?> known ? new ArrayList<>(known.size()) : new ArrayList<>();
    Nursery.builder()
        .name(name)
        .runVoid(nursery -> {
          for (I input : inputs) {
            // A gathered task is its own body: no call of the function wrapped around it per task.
            @SuppressWarnings("unchecked")
            Callable<? extends R> body =
                function == CALL ? (Callable<? extends R>) input : () -> function.apply(input);
            ResultCapture<R> capture = ResultCapture.mapInput(body, !failFast);
            captures.add(capture);
            TaskLaunch.launch(nursery, capture, false);
          }
        });
    return captures;
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The function of the gather forms, whose inputs are the tasks: recognized by identity. */
  private static final TaskFunction<Callable<?>, Object> CALL = Callable::call;

  @SuppressWarnings("unchecked")
  private static <T> TaskFunction<Callable<? extends T>, T> call() {
    return (TaskFunction<Callable<? extends T>, T>) (TaskFunction<?, ?>) CALL;
  }

  /** The stream as an iterable that may be iterated once. */
  private static <I> Iterable<I> once(Stream<? extends I> stream) {
    Iterator<? extends I> elements = stream.iterator();
    return () ->
        new Iterator<I>() {
          @Override
          public boolean hasNext() {
            return elements.hasNext();
          }

          @Override
          public I next() {
            return elements.next();
          }
        };
  }

  /**
   * The tasks of a gather, which must all be there: a null names its index, in a first pass here
   * (before anything starts) and again as the gather takes each task (a collection may change
   * between the two passes).
   */
  private static <T> Collection<T> checkedTasks(Collection<T> tasks) {
    CheckedTasks<T> checked = new CheckedTasks<>(Objects.requireNonNull(tasks, "tasks"));
    for (Iterator<T> it = checked.iterator(); it.hasNext(); ) {
      it.next();
    }
    return checked;
  }

  /** A gather's tasks as a view whose iterator fails on a null, naming its index. */
  private static final class CheckedTasks<T> extends AbstractCollection<T> {
    private final Collection<T> tasks;

    CheckedTasks(Collection<T> tasks) {
      this.tasks = tasks;
    }

    @Override
    public Iterator<T> iterator() {
      Iterator<T> taken = tasks.iterator();
      return new Iterator<T>() {
        private int index;

        @Override
        public boolean hasNext() {
          return taken.hasNext();
        }

        @Override
        public T next() {
          T task = taken.next();
          if (task == null) {
            throw new NullPointerException("tasks[" + index + "] is null");
          }
          index++;
          return task;
        }
      };
    }

    @Override
    public int size() {
      return tasks.size();
    }
  }

  private static <H> List<H> checked(Iterable<? extends H> handles) {
    Objects.requireNonNull(handles, "handles");
    List<H> list = new ArrayList<>();
    for (H h : handles) {
      list.add(Objects.requireNonNull(h, "handles contains null"));
    }
    return list;
  }

  private static long clamp(Duration timeout) {
    return Math.max(0, ResultBase.saturatedNanos(Objects.requireNonNull(timeout, "timeout")));
  }
}
