package io.github.loomresult.benchmarks;

import com.softwaremill.jox.structured.Scopes;
import io.github.loomresult.Nursery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B4 failure propagation: 10,000 tasks sleep 60 s, one of them fails after 5 ms. The score is the
 * whole call; the probe {@code reported.us} is the latency from the failing throw to the caller
 * holding the failure with every other task cancelled and every thread gone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 40)
@Measurement(iterations = 30)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
public class B4FailurePropagation {
  static final int N = 10_000;
  static final int FAILING = N / 2;
  private static final AtomicLong FAILED_AT = new AtomicLong();

  /** The one failure. */
  static final class Boom extends Exception {
    private static final long serialVersionUID = 1;

    Boom() {
      super("boom", null, false, false);
    }
  }

  static Integer sleeper(int index) throws Exception {
    Probe.enter();
    try {
      if (index == FAILING) {
        Thread.sleep(5);
        FAILED_AT.set(System.nanoTime());
        throw new Boom();
      }
      Thread.sleep(60_000);
      return index;
    } finally {
      Probe.leave();
    }
  }

  private static List<Callable<Integer>> tasks() {
    FAILED_AT.set(0);
    List<Callable<Integer>> tasks = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      int index = i;
      tasks.add(() -> sleeper(index));
    }
    return tasks;
  }

  /** Records the latency and checks the failure reached the caller and nothing runs on. */
  private static int report(Throwable caught) {
    long now = System.nanoTime();
    Probe.record("reported.us", (now - FAILED_AT.get()) / 1e3);
    Throwable t = caught;
    while (t != null && !(t instanceof Boom)) {
      t = t.getCause();
    }
    Check.that(t != null, "the failure did not reach the caller: " + caught);
    Check.that(Probe.RUNNING.get() == 0, "tasks still running after the failure was reported");
    return 1;
  }

  /** Hand-written: the failing thread signals, the caller interrupts all and joins all. */
  @Benchmark
  public int raw() throws InterruptedException {
    List<Callable<Integer>> tasks = tasks();
    Thread[] threads = new Thread[N];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch failed = new CountDownLatch(1);
    for (int i = 0; i < N; i++) {
      Callable<Integer> task = tasks.get(i);
      threads[i] =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  task.call();
                } catch (InterruptedException e) {
                  // cancelled
                } catch (Exception e) {
                  if (failure.compareAndSet(null, e)) {
                    failed.countDown();
                  }
                }
              });
    }
    failed.await();
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      t.join();
    }
    return report(failure.get());
  }

  /** The first completed future is the failure; {@code shutdownNow} interrupts the rest. */
  @Benchmark
  public int executor() throws InterruptedException {
    List<Callable<Integer>> tasks = tasks();
    Throwable caught = null;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      ExecutorCompletionService<Integer> completion = new ExecutorCompletionService<>(executor);
      for (Callable<Integer> task : tasks) {
        completion.submit(task);
      }
      try {
        completion.take().get();
      } catch (ExecutionException e) {
        caught = e;
      }
      executor.shutdownNow();
    }
    return report(caught);
  }

  /**
   * {@code anyOf(allOf(all), firstFailure)}; a CompletableFuture cannot interrupt its task, so the
   * executor's {@code shutdownNow} does.
   */
  @Benchmark
  public int completableFuture() {
    List<Callable<Integer>> tasks = tasks();
    Throwable caught = null;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletableFuture<Object> firstFailure = new CompletableFuture<>();
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
                    executor)
                .whenComplete((v, e) -> {
                  if (e != null) {
                    firstFailure.completeExceptionally(e);
                  }
                });
      }
      try {
        CompletableFuture.anyOf(CompletableFuture.allOf(futures), firstFailure).join();
      } catch (CompletionException e) {
        caught = e;
      }
      executor.shutdownNow();
    }
    return report(caught);
  }

  @Benchmark
  public int structuredTaskScope() throws InterruptedException {
    List<Callable<Integer>> tasks = tasks();
    Throwable caught = null;
    try (var scope = StructuredTaskScope.open()) {
      for (Callable<Integer> task : tasks) {
        scope.fork(task);
      }
      scope.join();
    } catch (StructuredTaskScope.FailedException e) {
      caught = e;
    }
    return report(caught);
  }

  @Benchmark
  public int jox() throws InterruptedException {
    List<Callable<Integer>> tasks = tasks();
    Throwable caught = null;
    try {
      Scopes.supervised(scope -> {
        for (Callable<Integer> task : tasks) {
          scope.fork(task);
        }
        return null;
      });
    } catch (RuntimeException e) {
      caught = e;
    }
    return report(caught);
  }

  @Benchmark
  public int loomresult() {
    List<Callable<Integer>> tasks = tasks();
    Throwable caught = null;
    try {
      Nursery.runVoid(nursery -> {
        for (Callable<Integer> task : tasks) {
          nursery.startSoon(task);
        }
      });
    } catch (RuntimeException e) {
      caught = e;
    }
    return report(caught);
  }
}
