package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-task timeouts, on one task and on each input of gather and map. A task that must time out
 * blocks until it is cancelled; one that must not has a day.
 */
@Timeout(20)
class TaskTimeoutTest {
  private static final Duration SHORT = Duration.ofMillis(20);
  private static final Duration LONG = Duration.ofDays(1);

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static String hang() throws InterruptedException {
    new CountDownLatch(1).await();
    return "never";
  }

  @Test
  void aTaskThatTimesOutHoldsTaskTimeoutExceptionAndKeepsItWhenSuppressed() {
    AtomicReference<ResultCapture<String>> slow = new AtomicReference<>();
    AtomicReference<ResultCapture<String>> sibling = new AtomicReference<>();
    Nursery.runVoid(n -> {
      slow.set(
          ResultCapture.builder()
              .name("slow")
              .timeout(SHORT)
              .suppressException()
              .startSoon(n, TaskTimeoutTest::hang));
      sibling.set(n.startSoon(() -> "fine"));
    });
    assertEquals(TaskState.FAILED, slow.get().state());
    TaskTimeoutException e = assertInstanceOf(TaskTimeoutException.class, slow.get().exception());
    assertEquals(SHORT, e.timeout());
    assertTrue(e.getMessage().contains("slow"), e.getMessage());
    assertEquals("fine", sibling.get().result());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void aTimeoutPropagatesIntoTheNurseryByTheUsualRules() {
    AtomicReference<ResultCapture<String>> sibling = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  ResultCapture.builder().timeout(SHORT).startSoon(n, TaskTimeoutTest::hang);
                  sibling.set(n.startSoon(TaskTimeoutTest::hang));
                }));
    assertInstanceOf(TaskTimeoutException.class, e.getCause());
    assertEquals(1, e.failures().size());
    assertEquals(TaskState.CANCELLED, sibling.get().state());
  }

  @Test
  void aTaskThatFinishesInTimeKeepsItsValue() {
    ResultCapture<String> quick = ResultCapture.builder().timeout(LONG).build(() -> "quick");
    quick.run();
    assertEquals("quick", quick.result());
  }

  @Test
  void aTaskThatIgnoresItsTimeoutAndReturnsAValueKeepsTheValue() {
    ResultCapture<String> stubborn =
        ResultCapture.builder()
            .timeout(SHORT)
            .build(() -> {
              try {
                return hang();
              } catch (InterruptedException ignored) {
                return "finished anyway";
              }
            });
    stubborn.run();
    assertEquals(TaskState.SUCCEEDED, stubborn.state());
    assertEquals("finished anyway", stubborn.result());
    assertFalse(Thread.currentThread().isInterrupted(), "the timeout's interrupt leaked");
  }

  @Test
  void aTaskThatFailsInTimeKeepsItsOwnExceptionByIdentity() {
    IOException own = new IOException("own");
    AtomicReference<ResultCapture<String>> task = new AtomicReference<>();
    Nursery.runVoid(n ->
        task.set(
            ResultCapture.builder()
                .timeout(LONG)
                .suppressException()
                .startSoon(
                    n,
                    () -> {
                      throw own;
                    })));
    assertSame(own, task.get().exception());
  }

  @Test
  void aVoidTaskCanHaveATimeout() {
    AtomicReference<ResultCapture<Void>> task = new AtomicReference<>();
    Nursery.runVoid(n ->
        task.set(
            ResultCapture.builder()
                .timeout(SHORT)
                .suppressException()
                .startSoon(n, () -> Thread.sleep(LONG))));
    assertInstanceOf(TaskTimeoutException.class, task.get().exception());
  }

  @Test
  void anEnclosingCancellationCancelsTheTaskInsteadOfTimingItOut() {
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> task = new AtomicReference<>();
    Nursery.runVoid(n -> {
      task.set(
          ResultCapture.builder()
              .timeout(LONG)
              .startSoon(
                  n,
                  () -> {
                    running.countDown();
                    return hang();
                  }));
      running.await();
      n.cancel();
    });
    assertEquals(TaskState.CANCELLED, task.get().state());
  }

  @Test
  void eachInputOfAMapHasItsOwnTimeoutAndTheFirstToExpireFailsTheMap() {
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Results.map(
                    List.of(1, 2, 3),
                    TaskTimeout.limitEach(
                        SHORT, (Integer i) -> i == 2 ? Integer.valueOf(hang()) : i)));
    assertInstanceOf(TaskTimeoutException.class, e.getCause());
  }

  @Test
  void eachInputOfAMapThatFinishesInTimeKeepsItsValue() {
    assertEquals(
        List.of(2, 4, 6), Results.map(List.of(1, 2, 3), TaskTimeout.limitEach(LONG, i -> i * 2)));
  }

  @Test
  void gatherOutcomesKeepsATimedOutInputAsAFailedOutcome() {
    List<Callable<String>> tasks =
        List.of(
            TaskTimeout.limit(LONG, () -> "a"),
            TaskTimeout.limit(SHORT, TaskTimeoutTest::hang),
            TaskTimeout.limit(LONG, () -> "c"));
    List<Outcome<String>> outcomes = Results.gatherOutcomes(tasks);
    assertEquals("a", outcomes.get(0).unwrap());
    assertInstanceOf(
        TaskTimeoutException.class, ((Outcome.Failure<String>) outcomes.get(1)).exception());
    assertEquals("c", outcomes.get(2).unwrap());
  }

  @Test
  void aNegativeTimeoutIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ResultCapture.builder().timeout(Duration.ofSeconds(-1)));
    assertThrows(
        IllegalArgumentException.class, () -> TaskTimeout.limit(Duration.ofSeconds(-1), () -> 1));
  }
}
