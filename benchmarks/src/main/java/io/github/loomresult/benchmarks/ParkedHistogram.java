package io.github.loomresult.benchmarks;

import com.softwaremill.jox.structured.Scopes;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * What a parked task keeps on the heap, class by class: {@code n} tasks each block on a semaphore,
 * in the shape of {@link B1SpawnGather} (every system keeps its handles, as B1 does), and once
 * every one of them is parked the live heap is compared with the live heap before they were
 * started. Where {@link AllocationHistogram} counts what a task allocates, this counts what it
 * retains while it waits: the number that decides how many blocked tasks fit in a heap.
 *
 * <p>Each task first records its thread in an array allocated before the baseline; a separate
 * platform thread waits until every recorded thread is {@code WAITING} (counted, not timed), then
 * takes a live class histogram ({@code GC.class_histogram}, which collects first) and the used heap
 * after three {@code System.gc()}, and only then lets the tasks go. Run one system per JVM, with
 * {@code -Xbatch}: a parked task's stack chunk holds its frames as they were when it parked, and
 * with background compilation some tasks park in interpreted frames, several times larger, in
 * proportions that change from run to run (StructuredTaskScope's chunks measured 380-900 B):
 *
 * <pre>{@code
 * for s in raw structuredTaskScope jox loomresult loomresultGather; do
 *   java --enable-preview -Xms4g -Xmx4g -Xbatch -cp benchmarks/target/benchmarks.jar \
 *     io.github.loomresult.benchmarks.ParkedHistogram $s 100000
 * done
 * }</pre>
 *
 * <p>Arguments: the system ({@code raw}, {@code structuredTaskScope}, {@code jox}, {@code
 * loomresult}, {@code loomresultGather}) and {@code n}. Classes below 0.5 B per task are left out.
 */
public final class ParkedHistogram {
  private final int n;
  private final Thread[] parked;
  private final Semaphore release = new Semaphore(0);

  private ParkedHistogram(int n) {
    this.n = n;
    this.parked = new Thread[n];
  }

  public static void main(String[] args) throws Exception {
    String system = args.length > 0 ? args[0] : "loomresult";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    // Warm-up rounds of the same system: its classes are loaded before the baseline, and the frames
    // of a parked task are compiled ones, which is what a parked task's stack chunk holds in a
    // running service (interpreted frames take several times the space).
    for (int round = 0; round < 40; round++) {
      new ParkedHistogram(5_000).measure(system, false);
    }
    new ParkedHistogram(n).measure(system, true);
  }

  private void measure(String system, boolean print) throws Exception {
    Runnable workload =
        switch (system) {
          case "raw" -> this::raw;
          case "structuredTaskScope" -> this::structuredTaskScope;
          case "jox" -> this::jox;
          case "loomresult" -> this::loomresult;
          case "loomresultGather" -> this::loomresultGather;
          default -> throw new IllegalArgumentException("unknown system: " + system);
        };
    if (!print) {
      Thread caller = Thread.ofPlatform().name("warm-up").start(workload);
      awaitAllParked();
      release.release(n);
      caller.join();
      return;
    }
    gc();
    Map<String, long[]> before = AllocationHistogram.histogram(false);
    long usedBefore = usedAfterGc();
    Thread caller = Thread.ofPlatform().name("workload").start(workload);
    awaitAllParked();
    Map<String, long[]> after = AllocationHistogram.histogram(false);
    long usedAfter = usedAfterGc();
    release.release(n);
    caller.join();
    {
      System.out.printf("%s, n=%d: live objects and bytes per parked task%n", system, n);
      AllocationHistogram.printDifference(before, after, n, 0.5);
      System.out.printf(
          "%8s %8.1f B  used heap after System.gc(), per task%n",
          "", (usedAfter - usedBefore) / (double) n);
    }
  }

  /** The task of every system: records its thread, then blocks until the histogram is taken. */
  private Integer park(int index) {
    parked[index] = Thread.currentThread();
    release.acquireUninterruptibly();
    return index;
  }

  /** Waits until every task recorded its thread and that thread is parked. */
  private void awaitAllParked() throws InterruptedException {
    for (int i = 0; i < n; i++) {
      Thread t;
      while ((t = parked[i]) == null || t.getState() != Thread.State.WAITING) {
        Thread.sleep(1); // a poll: what is awaited is a state, checked exactly
      }
    }
  }

  private void raw() {
    Integer[] results = new Integer[n];
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      int index = i;
      threads[i] = Thread.ofVirtual().start(() -> results[index] = park(index));
    }
    long sum = 0;
    for (int i = 0; i < n; i++) {
      joinUninterruptibly(threads[i]);
      sum += results[i];
    }
    Check.sum(sum, Check.indexSum(n, 1), "raw");
  }

  private void structuredTaskScope() {
    List<Subtask<Integer>> subtasks = new ArrayList<>(n);
    try (var scope = StructuredTaskScope.open()) {
      for (int i = 0; i < n; i++) {
        int index = i;
        subtasks.add(scope.fork(() -> park(index)));
      }
      scope.join();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    long sum = 0;
    for (Subtask<Integer> s : subtasks) {
      sum += s.get();
    }
    Check.sum(sum, Check.indexSum(n, 1), "structuredTaskScope");
  }

  private void jox() {
    try {
      long sum =
          Scopes.supervised(scope -> {
            List<com.softwaremill.jox.structured.Fork<Integer>> forks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              int index = i;
              forks.add(scope.fork(() -> park(index)));
            }
            long s = 0;
            for (com.softwaremill.jox.structured.Fork<Integer> f : forks) {
              s += f.join();
            }
            return s;
          });
      Check.sum(sum, Check.indexSum(n, 1), "jox");
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private void loomresult() {
    List<ResultCapture<Integer>> captures = new ArrayList<>(n);
    Nursery.runVoid(nursery -> {
      for (int i = 0; i < n; i++) {
        int index = i;
        captures.add(nursery.startSoon(() -> park(index)));
      }
    });
    long sum = 0;
    for (ResultCapture<Integer> c : captures) {
      sum += c.result();
    }
    Check.sum(sum, Check.indexSum(n, 1), "loomresult");
  }

  private void loomresultGather() {
    List<Callable<Integer>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = i;
      tasks.add(() -> park(index));
    }
    long sum = 0;
    for (Integer v : Results.gather(tasks)) {
      sum += v;
    }
    Check.sum(sum, Check.indexSum(n, 1), "loomresultGather");
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void gc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
  }

  private static long usedAfterGc() {
    gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
