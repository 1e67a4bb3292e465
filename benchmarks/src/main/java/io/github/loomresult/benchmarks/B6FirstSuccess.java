package io.github.loomresult.benchmarks;

import io.github.loomresult.Results;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * B6 first success: 1,000 tasks sleep 1-50 ms (the same seeded sleeps for every system); nine in
 * ten then fail, one in ten succeeds. The first success wins and the rest are cancelled; the
 * failures that come before it must not decide. The score is the whole call, until every task is
 * gone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 60)
@Measurement(iterations = 40)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
public class B6FirstSuccess {
  static final int N = 1000;

  private final int[] sleeps = new int[N];
  private final boolean[] succeeds = new boolean[N];
  private int fastestSuccess;

  @Setup
  public void plan() {
    Random random = new Random(42);
    fastestSuccess = Integer.MAX_VALUE;
    for (int i = 0; i < N; i++) {
      sleeps[i] = 1 + random.nextInt(50);
      succeeds[i] = random.nextInt(10) == 0;
      if (succeeds[i]) {
        fastestSuccess = Math.min(fastestSuccess, sleeps[i]);
      }
    }
  }

  private Integer attempt(int index) throws Exception {
    Probe.enter();
    try {
      Thread.sleep(sleeps[index]);
      if (!succeeds[index]) {
        throw new IllegalStateException("attempt " + index + " failed");
      }
      return index;
    } finally {
      Probe.leave();
    }
  }

  private List<Callable<Integer>> tasks() {
    List<Callable<Integer>> tasks = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      int index = i;
      tasks.add(() -> attempt(index));
    }
    return tasks;
  }

  private int report(Integer winner) {
    Check.that(winner != null && succeeds[winner], "the winner did not succeed: " + winner);
    Check.that(Probe.RUNNING.get() == 0, "tasks still running after the call");
    // Spawning 1,000 threads takes a few ms: a slightly slower success may win; a 50 ms one may
    // not.
    Check.that(sleeps[winner] <= fastestSuccess + 25, "winner slept " + sleeps[winner] + " ms");
    return winner;
  }

  /** Hand-written: the first success sets a latch, the last failure too; interrupt, join. */
  @Benchmark
  public int raw() throws InterruptedException {
    Thread[] threads = new Thread[N];
    AtomicInteger winner = new AtomicInteger(-1);
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch decided = new CountDownLatch(1);
    for (int i = 0; i < N; i++) {
      int index = i;
      threads[i] =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  if (winner.compareAndSet(-1, attempt(index))) {
                    decided.countDown();
                  }
                } catch (InterruptedException e) {
                  // cancelled
                } catch (Exception e) {
                  if (failed.incrementAndGet() == N) {
                    decided.countDown();
                  }
                }
              });
    }
    decided.await();
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      t.join();
    }
    return report(winner.get());
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
    return report(winner);
  }

  /** Jox's {@code race} is Ox's raceSuccess: the first success, failures kept until all fail. */
  @Benchmark
  public int jox() throws InterruptedException {
    return report(com.softwaremill.jox.structured.Race.race(tasks()));
  }

  @Benchmark
  public int loomresult() {
    return report(Results.race(tasks()));
  }
}
