package io.github.loomresult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * First success wins: runs several attempts at the same answer (mirrors, replicas, one request
 * hedged) and returns the first value that any of them produces. An immutable description of a
 * race; {@link #run()} runs it.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>The attempts run in a nursery of the race's own, nested in the calling task if there is
 *       one, so nothing outlives {@link #run()}: once an attempt succeeds, every other one is
 *       cancelled and awaited, and then its value is returned.
 *   <li>A failed attempt is not a failure of the race while another attempt may still succeed: its
 *       exception stays in the race (the attempts keep ordinary exceptions to themselves, as with
 *       {@link ResultCapture.Builder#suppressException()}). If every attempt fails, {@link #run()}
 *       throws {@link NurseryFailedException} with every failure, in the order they happened: the
 *       first is its cause, the others are suppressed. An {@link Error} fails the race at once.
 *   <li>The losers, cancelled because another attempt won, are not failures; a loser that ignores
 *       the interrupt and returns a value is dropped.
 *   <li>A race cancelled from outside (by its enclosing nursery, or an interrupt of the thread
 *       running it) cancels its attempts and throws {@link TaskCancelledException}.
 *   <li>Staggered starts ({@link #staggered(Duration)}, for hedged requests and Happy Eyeballs):
 *       the first attempt starts at once; the next one starts when the delay passes without a
 *       success, or at once when an attempt fails. {@link #maxInFlight(int)} caps the attempts
 *       running at once. Every attempt is started by the thread that runs the race, which also
 *       decides it, so no attempt ever starts after the race is decided.
 * </ul>
 *
 * <pre>{@code
 * // Three mirrors at once; the first good download wins, the others are cancelled:
 * byte[] file = Race.of(List.<Callable<byte[]>>of(
 *         () -> download(mirrorA), () -> download(mirrorB), () -> download(mirrorC)))
 *     .run();
 *
 * // A hedged request: a second attempt after 50 ms without an answer, a third after 100 ms,
 * // at most two in flight, each attempt given 2 s:
 * Quote quote = Race.repeat(3, () -> quotes.fetch(symbol))
 *     .staggered(Duration.ofMillis(50))
 *     .maxInFlight(2)
 *     .attemptTimeout(Duration.ofSeconds(2))
 *     .run();
 * }</pre>
 *
 * <p>Inside an existing nursery, a race is one task among others: {@link #startSoon(Nursery)}
 * starts it there and returns its handle, whose failure propagates into that nursery by the usual
 * rules.
 *
 * @param <T> the value type
 */
public final class Race<T> {
  private final List<Callable<? extends T>> attempts;
  private final long staggerNanos;
  private final int maxInFlight;
  private final @Nullable Duration attemptTimeout;
  private final String name;

  private Race(
      List<Callable<? extends T>> attempts,
      long staggerNanos,
      int maxInFlight,
      @Nullable Duration attemptTimeout,
      String name) {
    this.attempts = attempts;
    this.staggerNanos = staggerNanos;
    this.maxInFlight = maxInFlight;
    this.attemptTimeout = attemptTimeout;
    this.name = name;
  }

  /**
   * A race of distinct tasks (mirrors), started in the given order: all at once unless {@link
   * #staggered(Duration)} or {@link #maxInFlight(int)} say otherwise.
   *
   * @throws IllegalArgumentException if {@code tasks} is empty
   * @throws NullPointerException if {@code tasks} is or contains null
   */
  public static <T> Race<T> of(Collection<? extends Callable<? extends T>> tasks) {
    Objects.requireNonNull(tasks, "tasks");
    List<Callable<? extends T>> list = new ArrayList<>(tasks.size());
    for (Callable<? extends T> task : tasks) {
      list.add(Objects.requireNonNull(task, "tasks contains null"));
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("a race needs at least one task");
    }
    return new Race<>(List.copyOf(list), 0, Integer.MAX_VALUE, null, "race");
  }

  /**
   * A race of one task per input (one call per mirror, say): {@code function} applied to each.
   *
   * @throws IllegalArgumentException if {@code inputs} is empty
   */
  public static <I, T> Race<T> over(
      Iterable<? extends I> inputs, TaskFunction<? super I, ? extends T> function) {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(function, "function");
    List<Callable<? extends T>> list = new ArrayList<>();
    for (I input : inputs) {
      list.add(() -> function.apply(input));
    }
    return of(list);
  }

  /**
   * A race of {@code attempts} runs of the same task: a hedged request once {@link
   * #staggered(Duration) staggered}.
   *
   * @throws IllegalArgumentException if {@code attempts} is less than 1
   */
  public static <T> Race<T> repeat(int attempts, Callable<? extends T> task) {
    Objects.requireNonNull(task, "task");
    if (attempts < 1) {
      throw new IllegalArgumentException("a race needs at least one attempt, got " + attempts);
    }
    List<Callable<? extends T>> list = new ArrayList<>(attempts);
    for (int i = 0; i < attempts; i++) {
      list.add(task);
    }
    return new Race<>(List.copyOf(list), 0, Integer.MAX_VALUE, null, "race");
  }

  /**
   * Starts the attempts one after the other: the next one when {@code delay} has passed since the
   * last start without a success, or at once when an attempt fails.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public Race<T> staggered(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("stagger delay must not be negative: " + delay);
    }
    return new Race<>(
        attempts, ResultBase.saturatedNanos(delay), maxInFlight, attemptTimeout, name);
  }

  /**
   * At most {@code n} attempts run at once; the next one starts when one of them fails.
   *
   * @throws IllegalArgumentException if {@code n} is less than 1
   */
  public Race<T> maxInFlight(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + n);
    }
    return new Race<>(attempts, staggerNanos, n, attemptTimeout, name);
  }

  /**
   * Bounds each attempt: one still running {@code timeout} after it started fails with {@link
   * TaskTimeoutException}, which counts as that attempt's failure (the next one starts at once).
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public Race<T> attemptTimeout(Duration timeout) {
    TaskTimeout.check(timeout);
    return new Race<>(attempts, staggerNanos, maxInFlight, timeout, name);
  }

  /** The name of the race's nursery, shown in its threads' names and in messages. */
  public Race<T> name(String name) {
    return new Race<>(
        attempts, staggerNanos, maxInFlight, attemptTimeout, Objects.requireNonNull(name, "name"));
  }

  /**
   * Runs the race on the calling thread and returns the first successful value, once every other
   * attempt has been cancelled and has finished.
   *
   * @throws NurseryFailedException if every attempt failed (every failure kept, first one as the
   *     cause), or an attempt failed with an {@link Error}
   * @throws TaskCancelledException if the race was cancelled from outside
   */
  public @Nullable T run() {
    Object ended = Nursery.builder().name(name).run(this::decide);
    if (ended instanceof AllFailed failed) {
      throw new NurseryFailedException(name, failed.failures());
    }
    if (ended instanceof Winner<?> winner) {
      @SuppressWarnings("unchecked")
      T value = (T) winner.value();
      return value;
    }
    // Only a cancellation from outside ends attempts that we did not cancel, and the nursery
    // then throws TaskCancelledException itself.
    throw new TaskCancelledException("race '" + name + "' was cancelled", null);
  }

  /**
   * Starts the race as a task of {@code nursery} and returns its handle at once.
   *
   * @throws IllegalStateException if the nursery is closed to new arrivals
   */
  public ResultCapture<T> startSoon(Nursery nursery) {
    Objects.requireNonNull(nursery, "nursery");
    return ResultCapture.builder().name(name).startSoon(nursery, this::run);
  }

  // ---- the race's body ---------------------------------------------------------------------

  private record Winner<T>(@Nullable T value) {}

  private record AllFailed(List<Throwable> failures) {}

  /** The race ended because attempts were cancelled from outside. */
  private static final Object CANCELLED = new Object();

  /**
   * The body of the race's nursery, on the calling thread: starts the attempts, reads their ends in
   * completion order, and decides. Only this thread starts attempts, and it stops starting them
   * once it has decided.
   */
  private Object decide(Nursery nursery) throws InterruptedException {
    LinkedBlockingQueue<ResultCapture<T>> ended = new LinkedBlockingQueue<>();
    List<ResultCapture<T>> started = new ArrayList<>(Math.min(attempts.size(), 16));
    List<Throwable> failures = new ArrayList<>(1);
    int next = 0;
    int inFlight = 0;
    long nextStartAt = System.nanoTime();
    while (true) {
      while (next < attempts.size()
          && inFlight < maxInFlight
          && System.nanoTime() - nextStartAt >= 0) {
        ResultCapture<T> attempt = start(nursery, attempts.get(next++));
        started.add(attempt);
        inFlight++;
        attempt.whenDone(() -> ended.add(attempt));
        nextStartAt = System.nanoTime() + staggerNanos;
      }
      if (inFlight == 0) {
        return new AllFailed(failures);
      }
      ResultCapture<T> done;
      if (next < attempts.size() && inFlight < maxInFlight) {
        done = ended.poll(nextStartAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (done == null) {
          continue; // the delay passed without a success: start the next attempt
        }
      } else {
        done = ended.take();
      }
      inFlight--;
      switch (done.state()) {
        case SUCCEEDED -> {
          for (ResultCapture<T> other : started) {
            if (other != done) {
              other.cancel();
            }
          }
          return new Winner<>(done.result());
        }
        case FAILED -> {
          failures.add(Objects.requireNonNull(done.exception()));
          nextStartAt = System.nanoTime(); // a failure starts the next attempt at once
        }
        default -> {
          // Cancelled, but not by us (we cancel only once decided): the nursery is being
          // cancelled from outside and reports that itself.
          return CANCELLED;
        }
      }
    }
  }

  private ResultCapture<T> start(Nursery nursery, Callable<? extends T> task) {
    Callable<? extends T> bounded =
        attemptTimeout == null ? task : TaskTimeout.limit(attemptTimeout, task);
    return TaskLaunch.launch(nursery, new ResultCapture<T>(task, bounded, null, true), false);
  }
}
