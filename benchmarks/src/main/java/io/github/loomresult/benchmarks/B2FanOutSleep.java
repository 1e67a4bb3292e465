package io.github.loomresult.benchmarks;

import com.softwaremill.jox.structured.Scopes;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * B2 fan-out I/O: {@code n} tasks each sleep 10 ms (standing in for a blocking call) and return
 * their index; wall time of the whole call, one call per iteration. Peak heap with {@code -prof
 * io.github.loomresult.benchmarks.ProbeProfiler}, allocation with {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 30)
@Measurement(iterations = 20)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
public class B2FanOutSleep {
  static final long SLEEP_MS = 10;

  @Param({"10000", "100000"})
  public int n;

  static Integer sleepThenReturn(int index) throws InterruptedException {
    Thread.sleep(SLEEP_MS);
    return index;
  }

  @Benchmark
  public long raw() throws InterruptedException {
    Integer[] results = new Integer[n];
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      int index = i;
      threads[i] =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  results[index] = sleepThenReturn(index);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
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
        futures.add(executor.submit(() -> sleepThenReturn(index)));
      }
    }
    long sum = 0;
    for (Future<Integer> f : futures) {
      sum += f.resultNow();
    }
    return Check.sum(sum, Check.indexSum(n, 1), "executor");
  }

  @Benchmark
  public long completableFuture() {
    List<CompletableFuture<Integer>> futures = new ArrayList<>(n);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return sleepThenReturn(index);
                  } catch (InterruptedException e) {
                    throw new CompletionException(e);
                  }
                },
                executor));
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
        subtasks.add(scope.fork(() -> sleepThenReturn(index)));
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
            forks.add(scope.fork(() -> sleepThenReturn(index)));
          }
          long s = 0;
          for (com.softwaremill.jox.structured.Fork<Integer> f : forks) {
            s += f.join();
          }
          return s;
        });
    return Check.sum(sum, Check.indexSum(n, 1), "jox");
  }

  @Benchmark
  public long loomresult() {
    List<ResultCapture<Integer>> captures = new ArrayList<>(n);
    Nursery.runVoid(nursery -> {
      for (int i = 0; i < n; i++) {
        int index = i;
        captures.add(nursery.startSoon(() -> sleepThenReturn(index)));
      }
    });
    long sum = 0;
    for (ResultCapture<Integer> c : captures) {
      sum += c.result();
    }
    return Check.sum(sum, Check.indexSum(n, 1), "loomresult");
  }
}
