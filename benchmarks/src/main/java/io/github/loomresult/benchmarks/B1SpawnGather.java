package io.github.loomresult.benchmarks;

import com.softwaremill.jox.structured.Scopes;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B1 spawn-and-gather: {@code n} tasks each return their index, every value is gathered, and the
 * call returns once every thread is gone. The score is per call: divide by {@code n} for ns per
 * task (and the {@code gc.alloc.rate.norm} of {@code -prof gc} for bytes per task). Every system
 * boxes the index the same way.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
public class B1SpawnGather {
  @Param({"1000", "100000", "1000000"})
  public int n;

  /** The floor: a virtual thread per task, results in an array, join every thread. */
  @Benchmark
  public long raw() throws InterruptedException {
    Integer[] results = new Integer[n];
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      int index = i;
      threads[i] = Thread.ofVirtual().start(() -> results[index] = index);
    }
    for (Thread t : threads) {
      t.join();
    }
    long sum = 0;
    for (Integer r : results) {
      sum += r;
    }
    return Check.sum(sum, Check.indexSum(n, 1), "raw");
  }

  @Benchmark
  public long executor() {
    List<Future<Integer>> futures = new ArrayList<>(n);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(executor.submit(() -> index));
      }
    }
    long sum = 0;
    for (Future<Integer> f : futures) {
      sum += f.resultNow();
    }
    return Check.sum(sum, Check.indexSum(n, 1), "executor");
  }

  /** {@code supplyAsync} on a virtual-thread executor, {@code allOf}; closing waits for threads. */
  @Benchmark
  public long completableFuture() {
    List<CompletableFuture<Integer>> futures = new ArrayList<>(n);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(CompletableFuture.supplyAsync(() -> index, executor));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new)).join();
    }
    long sum = 0;
    for (CompletableFuture<Integer> f : futures) {
      sum += f.join();
    }
    return Check.sum(sum, Check.indexSum(n, 1), "completableFuture");
  }

  @Benchmark
  public long structuredTaskScope() throws InterruptedException {
    List<Subtask<Integer>> subtasks = new ArrayList<>(n);
    try (var scope = StructuredTaskScope.open()) {
      for (int i = 0; i < n; i++) {
        int index = i;
        subtasks.add(scope.fork(() -> index));
      }
      scope.join();
    }
    long sum = 0;
    for (Subtask<Integer> s : subtasks) {
      sum += s.get();
    }
    return Check.sum(sum, Check.indexSum(n, 1), "structuredTaskScope");
  }

  @Benchmark
  public long jox() throws InterruptedException {
    long sum =
        Scopes.supervised(scope -> {
          List<com.softwaremill.jox.structured.Fork<Integer>> forks = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            int index = i;
            forks.add(scope.fork(() -> index));
          }
          long s = 0;
          for (com.softwaremill.jox.structured.Fork<Integer> f : forks) {
            s += f.join();
          }
          return s;
        });
    return Check.sum(sum, Check.indexSum(n, 1), "jox");
  }

  /** A nursery, a handle per task, values read from the handles after {@code run}. */
  @Benchmark
  public long loomresult() {
    List<ResultCapture<Integer>> captures = new ArrayList<>(n);
    Nursery.runVoid(nursery -> {
      for (int i = 0; i < n; i++) {
        int index = i;
        captures.add(nursery.startSoon(() -> index));
      }
    });
    long sum = 0;
    for (ResultCapture<Integer> c : captures) {
      sum += c.result();
    }
    return Check.sum(sum, Check.indexSum(n, 1), "loomresult");
  }

  /** {@code Results.gather}: the one-call form, values in input order. */
  @Benchmark
  public long loomresultGather() {
    List<Callable<Integer>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = i;
      tasks.add(() -> index);
    }
    long sum = 0;
    for (Integer v : Results.gather(tasks)) {
      sum += v;
    }
    return Check.sum(sum, Check.indexSum(n, 1), "loomresultGather");
  }
}
