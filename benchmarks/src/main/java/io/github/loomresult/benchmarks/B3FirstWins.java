package io.github.loomresult.benchmarks;

import com.softwaremill.jox.structured.Race;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B3 first wins: 1,000 tasks sleep 1-50 ms (the same seeded sleeps for every system), the first to
 * finish wins and the rest are cancelled. The score is the whole call; the probe {@code gone.us} is
 * the latency from the winner's completion to every thread gone, and {@code alive.threads} the
 * tasks still running when the first-wins call handed back its result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 60)
@Measurement(iterations = 40)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
public class B3FirstWins {
  static final int N = 1000;
  private static final AtomicLong FIRST_DONE = new AtomicLong();

  /** {@code slept[i]}: task i slept to its end in the current call. */
  private final boolean[] slept = new boolean[N];

  private final int[] sleeps = new int[N];

  @Setup
  public void sleeps() {
    Random random = new Random(42);
    for (int i = 0; i < N; i++) {
      sleeps[i] = 1 + random.nextInt(50);
    }
  }

  private Integer race(int index) throws InterruptedException {
    Probe.enter();
    try {
      Thread.sleep(sleeps[index]);
      FIRST_DONE.compareAndSet(0, System.nanoTime());
      slept[index] = true;
      return index;
    } finally {
      Probe.leave();
    }
  }

  private List<Callable<Integer>> tasks() {
    reset();
    List<Callable<Integer>> tasks = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      int index = i;
      tasks.add(() -> race(index));
    }
    return tasks;
  }

  /** Records the probes once every thread is gone and checks the winner. */
  private int report(int winner, int aliveAtReturn) {
    long gone = System.nanoTime();
    Probe.record("gone.us", (gone - FIRST_DONE.get()) / 1e3);
    Probe.record("alive.threads", aliveAtReturn);
    Check.that(Probe.RUNNING.get() == 0, "tasks still running after the call");
    // Which task wins depends on how fast the system starts its tasks (a slow start lets an early
    // task with a long sleep win), so the check is that the winner is a task that ended normally.
    Check.that(slept[winner], "the winner " + winner + " did not sleep to its end");
    return winner;
  }

  private void reset() {
    FIRST_DONE.set(0);
    Arrays.fill(slept, false);
  }

  /** Hand-written: a latch for the first, interrupt the others, join everything. */
  @Benchmark
  public int raw() throws InterruptedException {
    Thread[] threads = new Thread[N];
    AtomicInteger winner = new AtomicInteger(-1);
    CountDownLatch first = new CountDownLatch(1);
    reset();
    for (int i = 0; i < N; i++) {
      int index = i;
      threads[i] =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  if (winner.compareAndSet(-1, race(index))) {
                    first.countDown();
                  }
                } catch (InterruptedException e) {
                  // cancelled
                }
              });
    }
    first.await();
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      t.join();
    }
    return report(winner.get(), 0);
  }

  /** {@code invokeAny} cancels (interrupts) the rest; {@code close} waits for them. */
  @Benchmark
  public int executor() throws InterruptedException, ExecutionException {
    List<Callable<Integer>> tasks = tasks();
    int winner;
    int alive;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      winner = executor.invokeAny(tasks);
      alive = Probe.RUNNING.get();
    }
    return report(winner, alive);
  }

  /**
   * {@code anyOf}, then {@code cancel(true)} on every future: a CompletableFuture does not
   * interrupt its task, so the losers sleep on and {@code close} waits for them.
   */
  @Benchmark
  public int completableFuture() {
    List<Callable<Integer>> tasks = tasks();
    int winner;
    int alive;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletableFuture<?>[] futures = new CompletableFuture<?>[N];
      for (int i = 0; i < N; i++) {
        Callable<Integer> task = tasks.get(i);
        futures[i] =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return task.call();
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                },
                executor);
      }
      winner = (Integer) CompletableFuture.anyOf(futures).join();
      for (CompletableFuture<?> f : futures) {
        f.cancel(true);
      }
      alive = Probe.RUNNING.get();
    }
    return report(winner, alive);
  }

  @Benchmark
  public int structuredTaskScope() throws InterruptedException {
    List<Callable<Integer>> tasks = tasks();
    int winner;
    try (var scope = StructuredTaskScope.open(Joiner.<Integer>anySuccessfulResultOrThrow())) {
      for (Callable<Integer> task : tasks) {
        scope.fork(task);
      }
      winner = scope.join();
    }
    return report(winner, Probe.RUNNING.get());
  }

  @Benchmark
  public int jox() throws InterruptedException {
    int winner = Race.race(tasks());
    return report(winner, Probe.RUNNING.get());
  }

  /** {@code Results.waitAny}, then {@code nursery.cancel()}. */
  @Benchmark
  public int loomresult() {
    List<Callable<Integer>> tasks = tasks();
    Integer winner =
        Nursery.run(nursery -> {
          List<ResultCapture<Integer>> captures = new ArrayList<>(N);
          for (Callable<Integer> task : tasks) {
            captures.add(nursery.startSoon(task));
          }
          ResultCapture<Integer> first = Results.waitAny(captures);
          nursery.cancel();
          return first.result();
        });
    Check.that(winner != null, "loomresult returned no winner");
    return report(winner, Probe.RUNNING.get());
  }

  /** {@code Results.race}: the first success wins, the rest are cancelled and awaited. */
  @Benchmark
  public int loomresultRace() {
    Integer winner = Results.race(tasks());
    Check.that(winner != null, "loomresult race returned no winner");
    return report(winner, Probe.RUNNING.get());
  }
}
