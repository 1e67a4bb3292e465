package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** W8: when several limiters apply to one task, it passes all of them, without deadlock. */
class LimitsComposeTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void aNurseryLimitHoldsForTasksWithAPerHostLimiterOfTheirOwn() {
    KeyedLimiter<String> perHost = KeyedLimiter.of(() -> Limiter.maxAtOnce(4));
    Limiter nurseryLimit = Limiter.maxAtOnce(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    Nursery.builder()
        .limiter(nurseryLimit)
        .runVoid(nursery -> {
          for (int i = 0; i < 20; i++) {
            URI uri = URI.create("http://host" + (i % 5) + "/" + i);
            ResultCapture.builder()
                .limiter(perHost.forKey(uri.getHost()))
                .startSoon(
                    nursery,
                    () -> {
                      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                      gate.await();
                      running.decrementAndGet();
                    });
          }
          BlockedThreads.awaitCondition(
              () -> running.get() == 20 || (running.get() == 2 && nurseryLimit.queued() == 18));
          assertEquals(2, running.get());
          gate.countDown();
        });
    assertEquals(2, peak.get());
    assertTrue(leaks.peakAliveThreads() <= 2, "live threads " + leaks.peakAliveThreads());
    assertEquals(0, nurseryLimit.running());
  }

  @Test
  void maxAtOnceCountsLiveThreadsWhenTwoLimitersApply() {
    Limiter own = Limiter.maxAtOnce(3);
    int n = 40;
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    Nursery.builder()
        .maxAtOnce(2)
        .runVoid(nursery -> {
          for (int i = 0; i < n; i++) {
            ResultCapture.builder()
                .limiter(own)
                .startSoon(
                    nursery,
                    () -> {
                      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                      gate.await();
                      running.decrementAndGet();
                    });
          }
          gate.countDown();
        });
    assertTrue(peak.get() <= 2, "peak " + peak.get());
    assertTrue(leaks.peakAliveThreads() <= 2, "live threads " + leaks.peakAliveThreads());
    assertEquals(0, own.running());
  }

  @Test
  void aTaskQueuedBehindTwoLimitersDoesNotSeeThePreviousTasksThreadLocals() {
    Limiter own = Limiter.maxAtOnce(1);
    ThreadLocal<String> tenant = new ThreadLocal<>();
    CountDownLatch queued = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> second = new AtomicReference<>();
    Nursery.builder()
        .maxAtOnce(1)
        .runVoid(n -> {
          ResultCapture.builder()
              .limiter(own)
              .startSoon(
                  n,
                  () -> {
                    tenant.set("first task's tenant");
                    queued.await();
                    return null;
                  });
          second.set(ResultCapture.builder().limiter(own).startSoon(n, tenant::get));
          assertEquals(TaskState.PENDING, second.get().state());
          queued.countDown();
        });
    assertNull(second.get().result(), "a ThreadLocal leaked from one task to the next");
    assertEquals(0, own.running());
  }

  /** A clock whose time stands still (no token refills) and that refuses to schedule. */
  private static LimiterClock refusingClock(RuntimeException refusal) {
    return new LimiterClock() {
      @Override
      public long nanoTime() {
        return 0;
      }

      @Override
      public void schedule(long delayNanos, Runnable action) {
        throw refusal;
      }
    };
  }

  @Test
  void aLaterLimitersFailingClockAtTheStartGivesBackTheSlotTakenBeforeIt() {
    Limiter first = Limiter.maxAtOnce(2); // built first: taken first
    IllegalStateException refusal = new IllegalStateException("clock refuses");
    Limiter second = Limiter.builder().maxPerSecond(1, 1).clock(refusingClock(refusal)).build();
    CountDownLatch gate = new CountDownLatch(1);
    Nursery.builder()
        .limiter(first)
        .runVoid(n -> {
          ResultCapture.builder().limiter(second).startSoon(n, () -> gate.await());
          assertEquals(1, first.running());
          // The second task takes first's slot, then must queue for second's token: the clock
          // refuses the wake-up, the error goes to the starter and first's slot comes back.
          RuntimeException thrown =
              assertThrows(
                  IllegalStateException.class,
                  () -> ResultCapture.builder().limiter(second).startSoon(n, () -> "never"));
          assertSame(refusal, thrown);
          assertEquals(1, first.running());
          assertEquals(0, second.queued());
          gate.countDown();
        });
    assertEquals(0, first.running());
    assertEquals(0, second.running());
  }

  @Test
  void aLaterLimitersFailingClockAfterQueueingEndsTheTaskAndGivesBackItsSlot() {
    Limiter first = Limiter.maxAtOnce(1); // built first: taken first
    IllegalStateException refusal = new IllegalStateException("clock refuses");
    Limiter second = Limiter.builder().maxPerSecond(1, 1).clock(refusingClock(refusal)).build();
    CountDownLatch gate = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> queued = new AtomicReference<>();
    Throwable failure =
        assertThrows(
            Throwable.class,
            () ->
                Nursery.builder()
                    .limiter(first)
                    .runVoid(n -> {
                      ResultCapture.builder().limiter(second).startSoon(n, () -> gate.await());
                      // Queued for first's slot; once it gets it, second has no token and its
                      // clock refuses the wake-up.
                      queued.set(
                          ResultCapture.builder().limiter(second).startSoon(n, () -> "never"));
                      assertEquals(TaskState.PENDING, queued.get().state());
                      gate.countDown();
                    }));
    assertTrue(
        Throwables.causeChainHas(failure, t -> t == refusal)
            || List.of(failure.getSuppressed()).contains(refusal),
        "nursery failure: " + failure);
    assertEquals(TaskState.FAILED, queued.get().state());
    assertSame(refusal, queued.get().exception());
    assertEquals(0, first.running());
    assertEquals(0, first.queued());
    assertEquals(0, second.queued());
  }

  @Test
  void limitersSharedInCrossedRolesDoNotDeadlock() throws Exception {
    Limiter a = Limiter.maxAtOnce(1);
    Limiter b = Limiter.maxAtOnce(1);
    AtomicInteger done = new AtomicInteger();
    int perNursery = 200;
    Thread first = Thread.ofVirtual().start(() -> crossed(a, b, perNursery, done));
    Thread second = Thread.ofVirtual().start(() -> crossed(b, a, perNursery, done));
    assertTrue(first.join(Duration.ofSeconds(60)), "deadlocked: " + a + " " + b);
    assertTrue(second.join(Duration.ofSeconds(60)), "deadlocked: " + a + " " + b);
    assertEquals(2 * perNursery, done.get());
    assertEquals(0, a.running() + b.running() + a.queued() + b.queued());
  }

  private static void crossed(
      Limiter nurseryLimit, Limiter taskLimit, int tasks, AtomicInteger done) {
    Nursery.builder()
        .limiter(nurseryLimit)
        .runVoid(n -> {
          for (int i = 0; i < tasks; i++) {
            ResultCapture.builder().limiter(taskLimit).startSoon(n, done::incrementAndGet);
          }
        });
  }

  @Test
  void cancellingATaskThatHoldsOneSlotAndWaitsForAnotherGivesBackBoth() throws Exception {
    Limiter own = Limiter.maxAtOnce(1); // built first: taken first
    Limiter nurseryLimit = Limiter.maxAtOnce(1);
    CountDownLatch gate = new CountDownLatch(1);
    Nursery.builder()
        .limiter(nurseryLimit)
        .runVoid(n -> {
          n.startSoon(() -> gate.await());
          ResultCapture<String> waiting =
              ResultCapture.builder().limiter(own).startSoon(n, () -> "never");
          assertEquals(1, own.running()); // holds its own slot while queued for the nursery's
          assertEquals(1, nurseryLimit.queued());
          assertTrue(waiting.cancel());
          assertEquals(TaskState.CANCELLED, waiting.state());
          assertEquals(0, own.running());
          assertEquals(0, nurseryLimit.queued());
          gate.countDown();
        });
  }

  @Test
  void cancellingTheNurseryGivesBackTheSlotsOfTasksQueuedHalfway() {
    Limiter own = Limiter.maxAtOnce(5);
    Limiter nurseryLimit = Limiter.maxAtOnce(1);
    List<ResultCapture<Void>> queued = new ArrayList<>();
    Nursery.builder()
        .limiter(nurseryLimit)
        .runVoid(n -> {
          n.startSoon(() -> Thread.sleep(BlockedThreads.FOREVER));
          for (int i = 0; i < 10; i++) {
            queued.add(ResultCapture.builder().limiter(own).startSoon(n, () -> {}));
          }
          assertEquals(5, own.running());
          n.cancel();
        });
    for (ResultCapture<Void> q : queued) {
      assertEquals(TaskState.CANCELLED, q.state());
    }
    assertEquals(0, own.running() + own.queued() + nurseryLimit.running() + nurseryLimit.queued());
  }

  @Test
  void theSameLimiterOnTheTaskAndItsNurseryIsTakenOnce() {
    Limiter shared = Limiter.maxAtOnce(1);
    String value =
        Nursery.builder()
            .limiter(shared)
            .run(n -> ResultCapture.builder().limiter(shared).startSoon(n, () -> "once").await());
    assertEquals("once", value);
    assertEquals(0, shared.running());
  }

  // ---- keyed limiters let idle keys go ----------------------------------------------------------

  @Test
  void aKeyedLimiterLetsGoOfIdleKeysSoAMillionKeysStayBounded() {
    KeyedLimiter<Integer> perKey = KeyedLimiter.of(() -> Limiter.maxAtOnce(1));
    int keys = 1_000_000;
    int window = 64;
    ArrayDeque<Admission> held = new ArrayDeque<>();
    int peakSize = 0;
    try (Nursery nursery = Nursery.open()) {
      // A task's admission and release, as its nursery runs them, without the thread between.
      for (int k = 0; k < keys; k++) {
        ResultCapture<Integer> capture = ResultCapture.builder().build(() -> 1);
        Admission admission = Admission.of(nursery, capture, perKey.forKey(k), null);
        assertEquals(Admission.ADMITTED, admission.advance());
        held.addLast(admission);
        peakSize = Math.max(peakSize, perKey.size());
        if (held.size() == window) {
          held.removeFirst().releaseOnEnd();
        }
      }
      while (!held.isEmpty()) {
        held.removeFirst().releaseOnEnd();
      }
      nursery.join();
    }
    assertEquals(window, peakSize);
    assertEquals(0, perKey.size());
  }

  @Test
  void idleKeysAreLetGoAsTasksOfManyKeysEnd() throws Exception {
    KeyedLimiter<Integer> perKey = KeyedLimiter.of(() -> Limiter.maxAtOnce(1));
    int keys = 20_000;
    int window = 64;
    AtomicInteger ran = new AtomicInteger();
    int[] peakSize = {0};
    Nursery.runVoid(n -> {
      ResultCapture<?>[] inFlight = new ResultCapture<?>[window];
      for (int k = 0; k < keys; k++) {
        ResultCapture<?> previous = inFlight[k % window];
        if (previous != null) {
          previous.waitDone();
        }
        inFlight[k % window] =
            ResultCapture.builder().limiter(perKey.forKey(k)).startSoon(n, ran::incrementAndGet);
        peakSize[0] = Math.max(peakSize[0], perKey.size());
      }
    });
    assertEquals(keys, ran.get());
    // A key is let go on the task's thread right after its handle is done: at most the window
    // plus the threads still on their way out hold one.
    assertTrue(peakSize[0] <= 4 * window, "peak keys " + peakSize[0]);
    assertEquals(0, perKey.size());
  }

  @Test
  void aKeyWithARateIsLetGoOnlyOnceItsBucketIsFullAgain() throws Exception {
    LimiterTest.ManualClock clock = new LimiterTest.ManualClock();
    KeyedLimiter<String> perKey =
        KeyedLimiter.of(() -> Limiter.builder().maxPerSecond(10, 1).clock(clock).build());
    Nursery.runVoid(n -> ResultCapture.builder().limiter(perKey.forKey("a")).startSoon(n, () -> 1));
    assertEquals(1, perKey.size(), "a key with a spent token was let go");
    clock.advance(Duration.ofMillis(99));
    assertEquals(1, perKey.size());
    clock.advance(Duration.ofMillis(1));
    assertEquals(0, perKey.size());
  }

  @Test
  void aLimiterKeptAfterItsKeyWasLetGoStillLimitsThroughTheKeysNewLimiter() throws Exception {
    KeyedLimiter<String> perKey = KeyedLimiter.of(() -> Limiter.maxAtOnce(1));
    Limiter kept = perKey.forKey("a");
    Nursery.runVoid(n -> ResultCapture.builder().limiter(kept).startSoon(n, () -> 1));
    assertEquals(0, perKey.size());
    CountDownLatch gate = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<Void> first =
          ResultCapture.builder().limiter(kept).startSoon(n, () -> gate.await());
      ResultCapture<Void> second =
          ResultCapture.builder().limiter(perKey.forKey("a")).startSoon(n, () -> {});
      assertEquals(1, perKey.size());
      Limiter current = perKey.forKey("a");
      assertFalse(current == kept);
      BlockedThreads.awaitCondition(() -> first.state() == TaskState.RUNNING);
      assertEquals(TaskState.PENDING, second.state());
      assertEquals(1, current.running());
      gate.countDown();
    });
    assertEquals(0, perKey.size());
  }

  @Test
  void aFactoryThatReturnsOneLimiterForEveryKeyIsRejected() {
    Limiter one = Limiter.maxAtOnce(1);
    KeyedLimiter<String> perKey = KeyedLimiter.of(() -> one);
    assertSame(one, perKey.forKey("a"));
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> perKey.forKey("b"));
    assertTrue(e.getMessage().contains("new Limiter for each key"), e.getMessage());
  }
}
