package io.github.loomresult.benchmarks;

import com.softwaremill.jox.structured.Par;
import io.github.loomresult.Limiter;
import io.github.loomresult.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B5 limits: map 10,000 inputs through a function (bare, or blocking {@code workMicros}) with at
 * most 64 running at once. The baselines take a {@link Semaphore} permit <em>before</em> creating
 * each thread (the hand-written way that never has more than 64 threads); Jox uses {@code
 * Par.parLimit}, loomresult {@code Results.map(inputs, fn, Limiter.maxAtOnce(64))}. Every call
 * checks that no more than 64 ran at once. With {@code -p probe=true} it also counts the distinct
 * threads that ran tasks ({@code threads.count}; a ThreadLocal per thread, so off for timing).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
public class B5Limits {
  static final int N = 10_000;
  static final int LIMIT = 64;

  private static final AtomicInteger CONCURRENT = new AtomicInteger();
  private static final AtomicInteger MAX_CONCURRENT = new AtomicInteger();
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ThreadLocal<Boolean> SEEN = new ThreadLocal<>();

  /** How long each call blocks: 0 measures the bare machinery, 1,000 makes the limit bind. */
  @Param({"0", "1000"})
  public int workMicros;

  @Param({"false"})
  public boolean probe;

  private List<Integer> inputs;

  @Setup
  public void inputs() {
    inputs = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      inputs.add(i);
    }
  }

  private Long work(int x) throws InterruptedException {
    int running = CONCURRENT.incrementAndGet();
    try {
      if (workMicros > 0) {
        Thread.sleep(Duration.ofNanos(workMicros * 1000L));
      }
      if (running > MAX_CONCURRENT.get()) {
        MAX_CONCURRENT.accumulateAndGet(running, Math::max);
      }
      if (probe && SEEN.get() == null) {
        SEEN.set(Boolean.TRUE);
        THREADS.incrementAndGet();
      }
      return 2L * x;
    } finally {
      CONCURRENT.decrementAndGet();
    }
  }

  private void begin() {
    MAX_CONCURRENT.set(0);
    THREADS.set(0);
  }

  private long end(long sum, String what) {
    int max = MAX_CONCURRENT.get();
    Check.that(max <= LIMIT, what + ": " + max + " ran at once");
    if (probe) {
      Probe.record("threads.count", THREADS.get());
      Probe.record("concurrent.tasks", max);
    }
    return Check.sum(sum, Check.indexSum(N, 2), what);
  }

  /** The hand-written baseline: a permit before each thread, released when its task ends. */
  @Benchmark
  public long rawSemaphore() throws InterruptedException {
    begin();
    Semaphore permits = new Semaphore(LIMIT);
    Long[] results = new Long[N];
    Thread[] threads = new Thread[N];
    for (int i = 0; i < N; i++) {
      int index = i;
      permits.acquire();
      threads[i] =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  results[index] = work(index);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  permits.release();
                }
              });
    }
    for (Thread t : threads) {
      t.join();
    }
    long sum = 0;
    for (Long r : results) {
      sum += r;
    }
    return end(sum, "rawSemaphore");
  }

  @Benchmark
  public long executorSemaphore() throws InterruptedException {
    begin();
    Semaphore permits = new Semaphore(LIMIT);
    List<Future<Long>> futures = new ArrayList<>(N);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < N; i++) {
        int index = i;
        permits.acquire();
        futures.add(
            executor.submit(() -> {
              try {
                return work(index);
              } finally {
                permits.release();
              }
            }));
      }
    }
    long sum = 0;
    for (Future<Long> f : futures) {
      sum += f.resultNow();
    }
    return end(sum, "executorSemaphore");
  }

  @Benchmark
  public long completableFutureSemaphore() throws InterruptedException {
    begin();
    Semaphore permits = new Semaphore(LIMIT);
    List<CompletableFuture<Long>> futures = new ArrayList<>(N);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < N; i++) {
        int index = i;
        permits.acquire();
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return work(index);
                  } catch (InterruptedException e) {
                    throw new CompletionException(e);
                  } finally {
                    permits.release();
                  }
                },
                executor));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new)).join();
    }
    long sum = 0;
    for (CompletableFuture<Long> f : futures) {
      sum += f.join();
    }
    return end(sum, "completableFutureSemaphore");
  }

  @Benchmark
  public long structuredTaskScopeSemaphore() throws InterruptedException {
    begin();
    Semaphore permits = new Semaphore(LIMIT);
    List<Subtask<Long>> subtasks = new ArrayList<>(N);
    try (var scope = StructuredTaskScope.open()) {
      for (int i = 0; i < N; i++) {
        int index = i;
        permits.acquire();
        subtasks.add(
            scope.fork(() -> {
              try {
                return work(index);
              } finally {
                permits.release();
              }
            }));
      }
      scope.join();
    }
    long sum = 0;
    for (Subtask<Long> s : subtasks) {
      sum += s.get();
    }
    return end(sum, "structuredTaskScopeSemaphore");
  }

  /** Jox's {@code Par.parLimit}. */
  @Benchmark
  public long jox() throws InterruptedException {
    begin();
    List<Callable<Long>> tasks = new ArrayList<>(N);
    for (Integer input : inputs) {
      tasks.add(() -> work(input));
    }
    long sum = 0;
    for (Long v : Par.parLimit(LIMIT, tasks)) {
      sum += v;
    }
    return end(sum, "jox");
  }

  /** {@code Results.map} under {@code Limiter.maxAtOnce(64)}. */
  @Benchmark
  public long loomresult() {
    begin();
    long sum = 0;
    for (Long v : Results.map(inputs, this::work, Limiter.maxAtOnce(LIMIT))) {
      sum += v;
    }
    return end(sum, "loomresult");
  }
}
