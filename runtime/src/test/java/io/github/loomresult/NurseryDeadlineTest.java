package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deadlines (N9): fail or move on, timeouts and absolute deadlines, nesting (the earlier deadline
 * wins), and no thread per nursery. Short timeouts appear only where the deadline itself is what
 * the test waits for; every assertion holds however late the timer fires.
 */
@Timeout(10)
class NurseryDeadlineTest {
  private static final Duration SHORT = Duration.ofMillis(20);
  private static final Duration LONG = Duration.ofDays(1);

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  // ---- fail or move on ----

  @Test
  void n9_timeoutFailsWithNurseryTimeoutExceptionAndCancelsEverything() {
    AtomicReference<ResultCapture<Void>> child = new AtomicReference<>();
    NurseryTimeoutException e =
        assertThrows(
            NurseryTimeoutException.class,
            () ->
                Nursery.builder()
                    .name("slow")
                    .timeout(SHORT)
                    .runVoid(n -> {
                      child.set(n.startSoon(() -> Thread.sleep(LONG)));
                      new CountDownLatch(1).await();
                    }));
    assertTrue(e.getMessage().contains("slow"), e.getMessage());
    assertEquals(TaskState.CANCELLED, child.get().state());
    assertFalse(Thread.currentThread().isInterrupted(), "the deadline's interrupt leaked");
  }

  @Test
  void n9_moveOnTimeoutReturnsNullWhenTheBodyWasCutShort() {
    AtomicReference<ResultCapture<Void>> child = new AtomicReference<>();
    Object value =
        Nursery.builder()
            .timeout(SHORT)
            .moveOnTimeout()
            .run(n -> {
              child.set(n.startSoon(() -> Thread.sleep(LONG)));
              Thread.sleep(LONG);
              return "unreachable";
            });
    assertNull(value);
    assertEquals(TaskState.CANCELLED, child.get().state());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void n9_moveOnTimeoutReturnsTheBodysValueWhenTheBodyFinished() {
    AtomicReference<ResultCapture<Void>> child = new AtomicReference<>();
    String value =
        Nursery.builder()
            .timeout(SHORT)
            .moveOnTimeout()
            .run(n -> {
              child.set(n.startSoon(() -> new CountDownLatch(1).await()));
              return "partial";
            });
    assertEquals("partial", value);
    assertEquals(TaskState.CANCELLED, child.get().state());
  }

  @Test
  void n9_workThatFinishesBeforeTheDeadlineIsNotCancelled() {
    AtomicReference<Nursery> nursery = new AtomicReference<>();
    String value =
        Nursery.builder()
            .timeout(LONG)
            .run(n -> {
              nursery.set(n);
              var c = n.startSoon(() -> "in time");
              c.waitDone();
              return c.result();
            });
    assertEquals("in time", value);
    assertFalse(nursery.get().isCancelled());
  }

  @Test
  void n9_realFailureDuringTimeoutIsReportedWithTheTimeoutSuppressed() {
    IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.builder()
                    .timeout(LONG)
                    .runVoid(n -> {
                      CountDownLatch sleeping = new CountDownLatch(1);
                      n.startSoon(() -> {
                        try {
                          sleeping.countDown();
                          Thread.sleep(LONG);
                        } catch (InterruptedException cancelled) {
                          throw cleanupFailed;
                        }
                      });
                      // The deadline expires once the task runs (a timer could fire before it
                      // started on a loaded machine, and a task cancelled before it runs never
                      // reaches its cleanup).
                      sleeping.await();
                      n.expire();
                      Thread.sleep(LONG);
                    }));
    assertSame(cleanupFailed, e.getCause());
    assertEquals(List.of(cleanupFailed), e.failures());
    assertTrue(
        List.of(e.getSuppressed()).stream().anyMatch(NurseryTimeoutException.class::isInstance),
        "the timeout was lost");
  }

  // ---- absolute deadlines ----

  @Test
  void n9_absoluteDeadlineExpires() {
    assertThrows(
        NurseryTimeoutException.class,
        () ->
            Nursery.builder()
                .deadline(Instant.now().plus(SHORT))
                .runVoid(n -> new CountDownLatch(1).await()));
  }

  @Test
  void n9_deadlineInThePastCancelsBeforeTheBodyRuns() {
    AtomicReference<List<Boolean>> seen = new AtomicReference<>();
    assertThrows(
        NurseryTimeoutException.class,
        () ->
            Nursery.builder()
                .deadline(Instant.now().minusSeconds(1))
                .runVoid(n -> seen.set(List.of(n.isCancelled(), Cancellation.isCancelled()))));
    assertEquals(List.of(true, true), seen.get());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void n9_theEarlierOfTimeoutAndDeadlineWins() {
    AtomicReference<Boolean> cancelledAtOnce = new AtomicReference<>();
    assertThrows(
        NurseryTimeoutException.class,
        () ->
            Nursery.builder()
                .timeout(LONG)
                .deadline(Instant.now().minusSeconds(1))
                .runVoid(n -> cancelledAtOnce.set(n.isCancelled())));
    assertTrue(cancelledAtOnce.get());

    Instant expected = Instant.now().plus(Duration.ofHours(1));
    Instant effective =
        Nursery.builder()
            .timeout(Duration.ofHours(1))
            .deadline(Instant.now().plus(Duration.ofHours(2)))
            .run(Nursery::deadline);
    assertNotNull(effective);
    assertCloseTo(expected, effective);
  }

  @Test
  void n9_nurseryWithoutDeadlineHasNone() {
    assertNull(Nursery.run(Nursery::deadline));
  }

  // ---- nesting ----

  @Test
  void n9_nestedNurseryInheritsTheEarlierDeadlineOfItsParent() {
    List<Instant> seen =
        Nursery.builder()
            .timeout(Duration.ofHours(1))
            .run(outer -> {
              Instant none = Nursery.run(Nursery::deadline);
              Instant later = Nursery.builder().timeout(Duration.ofHours(2)).run(Nursery::deadline);
              Instant earlier =
                  Nursery.builder().timeout(Duration.ofMinutes(10)).run(Nursery::deadline);
              var inTask = outer.startSoon(() -> Nursery.run(Nursery::deadline));
              inTask.waitDone();
              return List.of(
                  outer.deadline(), none, later, earlier, inTask.result(), Instant.now());
            });
    assertNotNull(seen);
    Instant outer = seen.get(0);
    assertCloseTo(outer, seen.get(1)); // no own deadline: the parent's
    assertCloseTo(outer, seen.get(2)); // own is later: the parent's
    assertCloseTo(seen.get(5).plus(Duration.ofMinutes(10)), seen.get(3)); // own is earlier
    assertCloseTo(outer, seen.get(4)); // also when opened inside a task
  }

  @Test
  void n9_parentDeadlineCancelsANestedNurseryWithALaterOne() {
    CountDownLatch innerBlocked = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> innerTask = new AtomicReference<>();
    AtomicReference<RuntimeException> innerThrew = new AtomicReference<>();
    assertThrows(
        NurseryTimeoutException.class,
        () ->
            Nursery.builder()
                .timeout(LONG)
                .runVoid(outer -> {
                  outer.startSoon(() -> {
                    try {
                      Nursery.builder()
                          .timeout(LONG)
                          .runVoid(inner ->
                              innerTask.set(
                                  inner.startSoon(() -> {
                                    innerBlocked.countDown();
                                    Thread.sleep(LONG);
                                  })));
                    } catch (RuntimeException e) {
                      innerThrew.set(e);
                      throw e;
                    }
                  });
                  innerBlocked.await();
                  // The outer deadline expires once the inner nursery runs (on cue: a 20 ms timer
                  // could fire before the outer task even started on a loaded machine).
                  outer.expire();
                  Thread.sleep(LONG);
                }));
    assertEquals(TaskState.CANCELLED, innerTask.get().state());
    // The outer deadline expired, not the inner one: the inner nursery was cancelled from outside.
    assertInstanceOf(TaskCancelledException.class, innerThrew.get());
  }

  @Test
  void n9_innerNurseryWithItsOwnShorterDeadlineExpiresAlone() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> outerTask = new AtomicReference<>();
    AtomicReference<ResultCapture<Void>> innerTask = new AtomicReference<>();
    AtomicReference<Nursery> outerNursery = new AtomicReference<>();
    String value =
        Nursery.builder()
            .timeout(LONG)
            .run(outer -> {
              outerNursery.set(outer);
              outerTask.set(
                  outer.startSoon(() -> {
                    release.await();
                    return "outer task unaffected";
                  }));
              assertThrows(
                  NurseryTimeoutException.class,
                  () ->
                      Nursery.builder()
                          .timeout(SHORT)
                          .runVoid(inner -> {
                            innerTask.set(inner.startSoon(() -> Thread.sleep(LONG)));
                            Thread.sleep(LONG);
                          }));
              assertFalse(Thread.currentThread().isInterrupted(), "inner deadline leaked");
              assertFalse(outer.isCancelled());
              Object moved =
                  Nursery.builder()
                      .timeout(SHORT)
                      .moveOnTimeout()
                      .run(inner -> {
                        Thread.sleep(LONG);
                        return "unreachable";
                      });
              assertNull(moved);
              release.countDown();
              return "outer finished";
            });
    assertEquals("outer finished", value);
    assertEquals("outer task unaffected", outerTask.get().result());
    assertEquals(TaskState.CANCELLED, innerTask.get().state());
    assertFalse(outerNursery.get().isCancelled());
  }

  @Test
  void n9_innerTimeoutEscapingATaskFailsTheOuterNursery() {
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(outer ->
                    outer.startSoon(() ->
                        Nursery.builder()
                            .timeout(SHORT)
                            .runVoid(inner -> new CountDownLatch(1).await()))));
    assertInstanceOf(NurseryTimeoutException.class, e.getCause());
  }

  // ---- cost ----

  @Test
  void n9_deadlinesDoNotCostAThreadPerNursery() {
    int before = Thread.getAllStackTraces().size();
    List<Integer> during = new ArrayList<>();
    openNested(200, during);
    assertEquals(1, during.size());
    // At most the one shared timer thread may have appeared for 200 open nurseries with deadlines.
    assertTrue(
        during.get(0) - before <= 1, "platform threads: before=" + before + " during=" + during);
    long timers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals(DeadlineTimer.THREAD_NAME))
            .count();
    assertTrue(timers <= 1, "timer threads: " + timers);
    assertEquals(0, leaks.createdCount(), "no task was started, so no thread may be created");
  }

  /** Opens {@code depth} nested nurseries, each with its own deadline, and counts the threads. */
  private static void openNested(int depth, List<Integer> during) {
    if (depth == 0) {
      during.add(Thread.getAllStackTraces().size());
      return;
    }
    // Each one earlier than its parent, so each one needs its own expiry.
    Nursery.builder()
        .timeout(Duration.ofHours(1).plusSeconds(depth))
        .runVoid(n -> openNested(depth - 1, during));
  }

  @Test
  void n9_manyNurseriesExpireOnTheSharedTimer() {
    int before = Thread.getAllStackTraces().size();
    List<Integer> counts = new ArrayList<>();
    int expired = 0;
    for (int i = 0; i < 20; i++) {
      try {
        Nursery.builder()
            .timeout(Duration.ofMillis(1))
            .runVoid(n -> {
              counts.add(Thread.getAllStackTraces().size());
              Thread.sleep(LONG);
            });
      } catch (NurseryTimeoutException e) {
        expired++;
      }
    }
    assertEquals(20, expired);
    for (int c : counts) {
      assertTrue(c - before <= 1, "platform threads: before=" + before + " during=" + counts);
    }
  }

  private static void assertCloseTo(Instant expected, Instant actual) {
    Duration off = Duration.between(expected, actual).abs();
    assertTrue(off.compareTo(Duration.ofSeconds(5)) < 0, expected + " vs " + actual);
  }
}
