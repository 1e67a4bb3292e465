package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** W4: gather in input order, fail fast, and the outcomes variant. */
class GatherTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void w4_gatherReturnsValuesInInputOrderWhateverTheCompletionOrder() {
    int n = 8;
    List<CountDownLatch> gates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      gates.add(new CountDownLatch(i == n - 1 ? 0 : 1));
    }
    List<Callable<String>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      // The last task finishes first and lets the one before it finish: reverse completion.
      tasks.add(() -> {
        gates.get(index).await();
        if (index > 0) {
          gates.get(index - 1).countDown();
        }
        return "v" + index;
      });
    }
    assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"), Results.gather(tasks));
  }

  @Test
  void w4_gatherRunsEveryTaskAtOnce() {
    int n = 10;
    CyclicBarrier allRunning = new CyclicBarrier(n);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      tasks.add(() -> {
        // Fails rather than hangs if gather ran the tasks one after the other.
        allRunning.await(10, TimeUnit.SECONDS);
        return index;
      });
    }
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), Results.gather(tasks));
    assertEquals(n, leaks.createdCount());
  }

  @Test
  void w4_gatherKeepsNullValues() {
    List<Callable<String>> tasks = List.of(() -> "a", () -> null, () -> "c");
    assertEquals(Arrays.asList("a", null, "c"), Results.gather(tasks));
  }

  @Test
  void w4_gatherOfNoTasksIsEmpty() {
    assertEquals(List.of(), Results.gather(List.<Callable<String>>of()));
    assertEquals(List.of(), Results.gatherOutcomes(List.<Callable<String>>of()));
    assertEquals(0, leaks.createdCount());
  }

  @Test
  void w4_firstFailureCancelsTheRestAndIsThrownByIdentity() {
    int n = 6;
    IOException boom = new IOException("boom");
    CountDownLatch othersRunning = new CountDownLatch(n - 1);
    AtomicInteger interrupted = new AtomicInteger();
    List<Callable<String>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      tasks.add(() -> {
        if (index == 2) {
          othersRunning.await();
          throw boom;
        }
        othersRunning.countDown();
        try {
          Thread.sleep(Duration.ofDays(1));
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
          throw e;
        }
        return "never";
      });
    }
    NurseryFailedException e =
        assertThrows(NurseryFailedException.class, () -> Results.gather(tasks));
    assertSame(boom, e.getCause());
    assertEquals(List.of(boom), e.failures(), "the cancellations are not failures");
    assertEquals(n - 1, interrupted.get());
    assertFalse(Thread.currentThread().isInterrupted());
    IOException typed = assertThrows(IOException.class, () -> e.rethrowIf(IOException.class));
    assertSame(boom, typed);
  }

  @Test
  void w4_failureOfTheFirstInputCancelsTasksStillRunning() {
    RuntimeException boom = new IllegalStateException("boom");
    CountDownLatch secondRunning = new CountDownLatch(1);
    List<Callable<String>> tasks =
        List.of(
            () -> {
              secondRunning.await();
              throw boom;
            },
            () -> {
              secondRunning.countDown();
              Thread.sleep(Duration.ofDays(1));
              return "never";
            });
    NurseryFailedException e =
        assertThrows(NurseryFailedException.class, () -> Results.gather(tasks));
    assertSame(boom, e.getCause());
  }

  @Test
  void w4_failFastStopsQueuedTasksFromStartingWithALimiter() {
    RuntimeException boom = new IllegalStateException("boom");
    AtomicInteger started = new AtomicInteger();
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      int index = i;
      tasks.add(() -> {
        started.incrementAndGet();
        if (index == 1) {
          throw boom;
        }
        return index;
      });
    }
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class, () -> Results.gather(tasks, Limiter.maxAtOnce(1)));
    assertSame(boom, e.getCause());
    assertEquals(2, started.get(), "no task starts after the failure");
  }

  @Test
  void w4_gatherOutcomesNeverThrowsForTaskFailures() {
    IOException checked = new IOException("checked");
    IllegalStateException unchecked = new IllegalStateException("unchecked");
    List<Callable<String>> tasks =
        List.of(
            () -> "a",
            () -> {
              throw checked;
            },
            () -> null,
            () -> {
              throw unchecked;
            },
            () -> "e");
    List<Outcome<String>> outcomes = Results.gatherOutcomes(tasks);
    assertEquals(5, outcomes.size());
    assertEquals(Outcome.success("a"), outcomes.get(0));
    assertSame(checked, assertInstanceOf(Outcome.Failure.class, outcomes.get(1)).exception());
    assertEquals(Outcome.success(null), outcomes.get(2));
    assertSame(unchecked, assertInstanceOf(Outcome.Failure.class, outcomes.get(3)).exception());
    assertEquals(Outcome.success("e"), outcomes.get(4));
  }

  @Test
  void w4_gatherOutcomesDoesNotCancelTheOthersOnAFailure() {
    // One at a time: the task after the failing one starts only after the failure, so a
    // fail-fast gather would cancel it before it starts.
    AtomicInteger interruptedTasks = new AtomicInteger();
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int index = i;
      tasks.add(() -> {
        if (Thread.currentThread().isInterrupted()) {
          interruptedTasks.incrementAndGet();
        }
        if (index == 1) {
          throw new IOException("task 1");
        }
        return index;
      });
    }
    List<Outcome<Integer>> outcomes = Results.gatherOutcomes(tasks, Limiter.maxAtOnce(1));
    assertEquals(Outcome.success(0), outcomes.get(0));
    assertFalse(outcomes.get(1).isSuccess());
    assertEquals(
        List.of(Outcome.success(2), Outcome.success(3), Outcome.success(4)),
        outcomes.subList(2, 5));
    assertEquals(0, interruptedTasks.get());
  }

  @Test
  void w4_gatherOutcomesAreInInputOrder() {
    CountDownLatch secondDone = new CountDownLatch(1);
    List<Callable<String>> tasks =
        List.of(
            () -> {
              secondDone.await();
              throw new IOException("first, finishing last");
            },
            () -> {
              secondDone.countDown();
              return "second";
            });
    List<Outcome<String>> outcomes = Results.gatherOutcomes(tasks);
    assertFalse(outcomes.get(0).isSuccess());
    assertEquals(Outcome.success("second"), outcomes.get(1));
  }

  @Test
  void w4_gatherOutcomesStillFailsOnAnError() {
    AssertionError error = new AssertionError("an Error always propagates");
    List<Callable<String>> tasks =
        List.of(
            () -> "a",
            () -> {
              throw error;
            });
    NurseryFailedException e =
        assertThrows(NurseryFailedException.class, () -> Results.gatherOutcomes(tasks));
    assertSame(error, e.getCause());
  }

  @Test
  void w6_gatherUnderALimiterRunsAtMostItsLimitAtOnce() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CyclicBarrier pairs = new CyclicBarrier(2);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int index = i;
      tasks.add(() -> {
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        // Two at a time really overlap: each waits for a partner.
        pairs.await(10, TimeUnit.SECONDS);
        running.decrementAndGet();
        return index;
      });
    }
    List<Integer> values = Results.gather(tasks, Limiter.maxAtOnce(2));
    assertEquals(20, values.size());
    assertEquals(2, peak.get());
    assertTrue(leaks.peakAliveThreads() <= 2, "threads " + leaks.peakAliveThreads());
  }
}
