package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** W6: max at once, max per second, keyed limiters; on nurseries, tasks and map calls. */
class LimiterTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static final Duration FOREVER = Duration.ofDays(1);
  private static final long MS = 1_000_000L;

  // ---- max at once --------------------------------------------------------------------------

  @Test
  void w6_maxAtOnceOnANurseryRunsAtMostThreeOf50TasksOnAtMostThreeThreads() {
    int n = 50;
    Overlap overlap = new Overlap(n);
    List<ResultCapture<Integer>> handles = new ArrayList<>();
    Nursery.builder()
        .maxAtOnce(3)
        .runVoid(nursery -> {
          for (int i = 0; i < n; i++) {
            int index = i;
            handles.add(nursery.startSoon(() -> overlap.task(index)));
          }
          // startSoon returned 50 times while three tasks hold every slot: the rest are pending.
          for (int i = 3; i < n; i++) {
            assertEquals(TaskState.PENDING, handles.get(i).state(), "task " + i);
          }
          overlap.drive(3);
        });
    overlap.assertQueuedStartsInFifoOrder(3);
    assertEquals(3, overlap.peak.get());
    assertTrue(leaks.peakAliveThreads() <= 3, "live threads " + leaks.peakAliveThreads());
    for (int i = 0; i < n; i++) {
      assertEquals(i, handles.get(i).result());
    }
  }

  @Test
  void w6_maxAtOnceOnAMapCallRunsAtMostThreeOf50TasksOnAtMostThreeThreads() throws Exception {
    int n = 50;
    Overlap overlap = new Overlap(n);
    AtomicReference<Throwable> controllerFailure = new AtomicReference<>();
    Thread controller =
        Thread.ofVirtual()
            .start(() -> {
              try {
                overlap.drive(3);
              } catch (Throwable t) {
                controllerFailure.set(t);
              } finally {
                overlap.releaseAll();
              }
            });
    List<Integer> values =
        Results.map(IntStream.range(0, n).boxed().toList(), overlap::task, Limiter.maxAtOnce(3));
    controller.join();
    if (controllerFailure.get() != null) {
      throw new AssertionError(controllerFailure.get());
    }
    assertEquals(IntStream.range(0, n).boxed().toList(), values);
    overlap.assertQueuedStartsInFifoOrder(3);
    assertEquals(3, overlap.peak.get());
    assertTrue(leaks.peakAliveThreads() <= 3, "live threads " + leaks.peakAliveThreads());
  }

  @Test
  void w6_queuedStartsRunInFifoOrder() {
    Limiter limiter = Limiter.maxAtOnce(1);
    CountDownLatch gate = new CountDownLatch(1);
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          n.startSoon(() -> {
            gate.await();
            order.add(0);
          });
          for (int i = 1; i < 10; i++) {
            int index = i;
            n.startSoon(() -> order.add(index));
          }
          assertEquals(1, limiter.running());
          assertEquals(9, limiter.queued());
          gate.countDown();
        });
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order);
    assertEquals(0, limiter.running());
    assertEquals(0, limiter.queued());
  }

  @Test
  void w6_eachQueuedTaskStartsOnAThreadOfItsOwnAfterThePreviousOneEnded() {
    CountDownLatch gate = new CountDownLatch(1);
    List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    Nursery.builder()
        .maxAtOnce(1)
        .runVoid(n -> {
          for (int i = 0; i < 10; i++) {
            n.startSoon(() -> {
              gate.await();
              threads.add(Thread.currentThread());
            });
          }
          gate.countDown();
        });
    assertEquals(10, threads.size());
    assertEquals(10, threads.stream().distinct().count());
    assertEquals(10, leaks.createdCount());
    assertEquals(1, leaks.peakAliveThreads(), "one slot, one live thread");
  }

  @Test
  void w6_slotIsReleasedWhenATaskThrowsSoTheNextQueuedTaskRuns() throws Exception {
    Limiter limiter = Limiter.maxAtOnce(1);
    IOException boom = new IOException("boom");
    CountDownLatch gate = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<String> failing =
          ResultCapture.builder()
              .limiter(limiter)
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    gate.await();
                    throw boom;
                  });
      ResultCapture<String> next =
          ResultCapture.builder().limiter(limiter).startSoon(n, () -> "next");
      assertEquals(TaskState.PENDING, next.state());
      gate.countDown();
      next.waitDone();
      assertSame(boom, failing.exception());
      assertEquals("next", next.result());
    });
    assertEquals(0, limiter.running());
  }

  @Test
  void w6_aFailedNurseryLeavesItsLimiterFree() {
    Limiter limiter = Limiter.maxAtOnce(2);
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch bothRunning = new CountDownLatch(2);
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.builder()
                    .limiter(limiter)
                    .runVoid(n -> {
                      n.startSoon(() -> {
                        bothRunning.countDown();
                        Thread.sleep(FOREVER);
                      });
                      n.startSoon(() -> {
                        bothRunning.countDown();
                        bothRunning.await();
                        throw boom;
                      });
                      for (int i = 0; i < 20; i++) {
                        n.startSoon(() -> Thread.sleep(FOREVER));
                      }
                    }));
    assertSame(boom, e.getCause());
    assertEquals(0, limiter.running());
    assertEquals(0, limiter.queued());
    // Both slots are really free: two tasks can run at once again.
    CountDownLatch again = new CountDownLatch(2);
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          for (int i = 0; i < 2; i++) {
            n.startSoon(() -> {
              again.countDown();
              assertTrue(again.await(10, TimeUnit.SECONDS));
            });
          }
        });
  }

  @Test
  void w6_slotIsReleasedWhenARunningTaskIsCancelled() throws Exception {
    Limiter limiter = Limiter.maxAtOnce(1);
    CountDownLatch running = new CountDownLatch(1);
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          ResultCapture<Void> blocker =
              n.startSoon(() -> {
                running.countDown();
                Thread.sleep(FOREVER);
              });
          ResultCapture<String> next = n.startSoon(() -> "next");
          running.await();
          blocker.cancel();
          next.waitDone();
          assertEquals(TaskState.CANCELLED, blocker.state());
          assertEquals("next", next.result());
        });
    assertEquals(0, limiter.running());
  }

  @Test
  void w6_cancellingAQueuedTaskEndsItCancelledAtOnceWithoutAThread() throws Exception {
    Limiter limiter = Limiter.maxAtOnce(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger queuedBodyRan = new AtomicInteger();
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          n.startSoon(() -> gate.await());
          ResultCapture<String> queued =
              n.startSoon(() -> {
                queuedBodyRan.incrementAndGet();
                return "never";
              });
          assertEquals(1, limiter.queued());
          assertTrue(queued.cancel());
          // No waiting: the capture is done the moment cancel() returns.
          assertEquals(TaskState.CANCELLED, queued.state());
          assertTrue(queued.exception() instanceof TaskCancelledException);
          assertEquals(0, limiter.queued());
          assertEquals(1, leaks.createdCount());
          gate.countDown();
        });
    assertEquals(0, queuedBodyRan.get());
    assertEquals(1, leaks.createdCount());
    assertEquals(0, limiter.running());
  }

  @Test
  void w6_cancellingANurseryWithALongQueueFinishesPromptly() {
    int queuedTasks = 10_000;
    AtomicInteger bodiesRun = new AtomicInteger();
    List<ResultCapture<Void>> handles = new ArrayList<>();
    CountDownLatch bothRunning = new CountDownLatch(2);
    assertTimeout(
        Duration.ofSeconds(10),
        () ->
            Nursery.builder()
                .maxAtOnce(2)
                .runVoid(n -> {
                  for (int i = 0; i < queuedTasks + 2; i++) {
                    handles.add(
                        n.startSoon(() -> {
                          bodiesRun.incrementAndGet();
                          bothRunning.countDown();
                          Thread.sleep(FOREVER);
                        }));
                  }
                  bothRunning.await();
                  n.cancel();
                }));
    assertEquals(2, bodiesRun.get());
    assertEquals(2, leaks.createdCount());
    for (ResultCapture<Void> h : handles) {
      assertEquals(TaskState.CANCELLED, h.state());
    }
  }

  @Test
  void w6_aTaskWithALimiterOfItsOwnAlsoWaitsForTheNurseryLimiter() throws Exception {
    Limiter own = Limiter.maxAtOnce(1);
    CountDownLatch gate = new CountDownLatch(1);
    Nursery.builder()
        .maxAtOnce(1)
        .runVoid(n -> {
          n.startSoon(() -> gate.await());
          ResultCapture<String> withOwnLimiter =
              ResultCapture.builder().limiter(own).startSoon(n, () -> "own");
          assertEquals(TaskState.PENDING, withOwnLimiter.state());
          gate.countDown();
          withOwnLimiter.waitDone();
          assertEquals("own", withOwnLimiter.result());
        });
    assertEquals(0, own.running());
  }

  @Test
  void w6_limiterArgumentsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> Limiter.maxAtOnce(0));
    assertThrows(IllegalArgumentException.class, () -> Limiter.maxPerSecond(0, 1));
    assertThrows(IllegalArgumentException.class, () -> Limiter.maxPerSecond(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> Limiter.maxPerSecond(10, 0));
    assertThrows(IllegalStateException.class, () -> Limiter.builder().build());
  }

  // ---- max per second -----------------------------------------------------------------------

  @Test
  void w6_rateLimitStartsTheBurstAtOnceThenOneTaskPerInterval() {
    ManualClock clock = new ManualClock();
    Limiter limiter = Limiter.builder().maxPerSecond(10, 3).clock(clock).build();
    Starts starts = new Starts(clock);
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          for (int i = 0; i < 10; i++) {
            n.startSoon(starts::record);
          }
          assertEquals(7, limiter.queued(), "the burst of 3 starts at once");
          starts.await(3);
          for (int next = 4; next <= 10; next++) {
            clock.advance(Duration.ofMillis(99));
            assertEquals(10 - next + 1, limiter.queued(), "no token before 100 ms");
            clock.advance(Duration.ofMillis(1));
            assertEquals(10 - next, limiter.queued(), "one token after 100 ms");
            starts.await(1);
          }
        });
    assertEquals(List.of(0L, 0L, 0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L), starts.millis());
  }

  @Test
  void w6_anIdleLimiterSavesAtMostBurstTokens() {
    ManualClock clock = new ManualClock();
    Limiter limiter = Limiter.builder().maxPerSecond(10, 3).clock(clock).build();
    Starts starts = new Starts(clock);
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          n.startSoon(starts::record);
          starts.await(1);
          clock.advance(Duration.ofHours(1));
          for (int i = 0; i < 6; i++) {
            n.startSoon(starts::record);
          }
          assertEquals(3, limiter.queued(), "an hour idle saved only 3 tokens");
          starts.await(3);
          clock.advance(Duration.ofMillis(100));
          assertEquals(2, limiter.queued());
          starts.await(1);
          clock.advance(Duration.ofMillis(100));
          starts.await(1);
          clock.advance(Duration.ofMillis(100));
          assertEquals(0, limiter.queued());
          starts.await(1);
        });
    long hour = Duration.ofHours(1).toMillis();
    assertEquals(
        List.of(0L, hour, hour, hour, hour + 100, hour + 200, hour + 300), starts.millis());
  }

  @Test
  void w6_rateLimitThrottlesAMapCall() throws Exception {
    ManualClock clock = new ManualClock();
    Limiter limiter = Limiter.builder().maxPerSecond(10, 2).clock(clock).build();
    Starts starts = new Starts(clock);
    AtomicReference<Throwable> controllerFailure = new AtomicReference<>();
    Thread controller =
        Thread.ofVirtual()
            .start(() -> {
              try {
                starts.await(2);
                for (int i = 2; i < 8; i++) {
                  // The next input waits for its token (and has asked the clock for a wake-up).
                  BlockedThreads.awaitCondition(() -> limiter.queued() == 1);
                  clock.advance(Duration.ofMillis(100));
                  starts.await(1);
                }
              } catch (Throwable t) {
                controllerFailure.set(t);
                clock.advance(Duration.ofDays(1));
              }
            });
    List<Integer> values =
        Results.map(
            IntStream.range(0, 8).boxed().toList(),
            k -> {
              starts.record();
              return k;
            },
            limiter);
    controller.join();
    if (controllerFailure.get() != null) {
      throw new AssertionError(controllerFailure.get());
    }
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), values);
    assertEquals(List.of(0L, 0L, 100L, 200L, 300L, 400L, 500L, 600L), starts.millis());
  }

  @Test
  void w6_aTaskNeedsBothASlotAndATokenToStart() {
    ManualClock clock = new ManualClock();
    Limiter limiter = Limiter.builder().maxAtOnce(1).maxPerSecond(10, 1).clock(clock).build();
    Starts starts = new Starts(clock);
    List<CountDownLatch> gates = List.of(new CountDownLatch(1), new CountDownLatch(1));
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          for (int i = 0; i < 3; i++) {
            int index = i;
            n.startSoon(() -> {
              starts.record();
              if (index < 2) {
                gates.get(index).await();
              }
            });
          }
          starts.await(1);
          clock.advance(Duration.ofMillis(100));
          assertEquals(2, limiter.queued(), "a token but no slot");
          gates.get(0).countDown();
          starts.await(1);
          assertEquals(1, limiter.queued());
          gates.get(1).countDown();
          // The slot is free once task 1 is gone: only then is the clock moved.
          BlockedThreads.awaitCondition(() -> limiter.running() == 0);
          clock.advance(Duration.ofMillis(99));
          assertEquals(1, limiter.queued(), "a slot soon, but no token yet");
          clock.advance(Duration.ofMillis(1));
          starts.await(1);
        });
    List<Long> millis = starts.millis();
    assertEquals(0L, millis.get(0));
    assertEquals(100L, millis.get(1));
    assertEquals(200L, millis.get(2));
  }

  @Test
  void w6_cancellingATaskWaitingForATokenEndsItAtOnce() throws Exception {
    ManualClock clock = new ManualClock();
    Limiter limiter = Limiter.builder().maxPerSecond(10, 1).clock(clock).build();
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          n.startSoon(() -> "first");
          ResultCapture<String> waiting = n.startSoon(() -> "never");
          assertEquals(1, limiter.queued());
          assertTrue(waiting.cancel());
          assertEquals(TaskState.CANCELLED, waiting.state());
          assertEquals(0, limiter.queued());
          clock.advance(Duration.ofSeconds(1));
          assertEquals(TaskState.CANCELLED, waiting.state());
        });
    assertEquals(1, leaks.createdCount());
  }

  @Test
  void w6_aCancelledNurseryDoesNotWaitForTokens() {
    ManualClock clock = new ManualClock();
    Limiter limiter = Limiter.builder().maxPerSecond(1, 1).clock(clock).build();
    List<ResultCapture<String>> handles = new ArrayList<>();
    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          for (int i = 0; i < 5; i++) {
            handles.add(n.startSoon(() -> "ok"));
          }
          handles.get(0).waitDone();
          n.cancel();
        });
    // The clock never moved: the four tasks waiting for a token ended cancelled.
    assertEquals(TaskState.SUCCEEDED, handles.get(0).state());
    for (ResultCapture<String> h : handles.subList(1, 5)) {
      assertEquals(TaskState.CANCELLED, h.state());
    }
    assertEquals(0, limiter.queued());
    assertEquals(1, leaks.createdCount());
  }

  // ---- keyed limiters -----------------------------------------------------------------------

  @Test
  void w6_keyedLimiterGivesTheSameLimiterForTheSameKey() {
    KeyedLimiter<String> perHost = KeyedLimiter.of(() -> Limiter.maxAtOnce(2));
    Limiter a = perHost.forKey("a.example");
    assertSame(a, perHost.forKey("a.example"));
    assertNotSame(a, perHost.forKey("b.example"));
    assertEquals(2, perHost.size());
  }

  @Test
  void w6_keyedLimiterLimitsEachKeySeparately() throws Exception {
    KeyedLimiter<String> perHost = KeyedLimiter.of(() -> Limiter.maxAtOnce(1));
    CountDownLatch gate = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<String> a1 =
          ResultCapture.builder()
              .limiter(perHost.forKey("a"))
              .startSoon(
                  n,
                  () -> {
                    gate.await();
                    return "a1";
                  });
      ResultCapture<String> a2 =
          ResultCapture.builder().limiter(perHost.forKey("a")).startSoon(n, () -> "a2");
      ResultCapture<String> b1 =
          ResultCapture.builder().limiter(perHost.forKey("b")).startSoon(n, () -> "b1");
      b1.waitDone();
      assertEquals("b1", b1.result(), "key b is not held up by key a");
      assertEquals(TaskState.PENDING, a2.state(), "key a allows one at a time");
      assertEquals(1, perHost.forKey("a").queued());
      gate.countDown();
      a2.waitDone();
      assertEquals("a1", a1.result());
      assertEquals("a2", a2.result());
    });
  }

  @Test
  void w6_keyedLimiterIsSharedAcrossTwoNurseries() throws Exception {
    KeyedLimiter<String> perHost = KeyedLimiter.of(() -> Limiter.maxAtOnce(1));
    Limiter host = perHost.forKey("host");
    CountDownLatch gate = new CountDownLatch(1);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    try (Nursery first = Nursery.builder().limiter(perHost.forKey("host")).open()) {
      first.startSoon(() -> {
        gate.await();
        order.add("first");
      });
      try (Nursery second = Nursery.builder().limiter(perHost.forKey("host")).open()) {
        ResultCapture<Boolean> queued = second.startSoon(() -> order.add("second"));
        assertEquals(TaskState.PENDING, queued.state(), "the other nursery holds the slot");
        assertEquals(1, host.running());
        assertEquals(1, host.queued());
        gate.countDown();
        second.join();
        assertEquals(TaskState.SUCCEEDED, queued.state());
      }
      first.join();
    }
    assertEquals(List.of("first", "second"), order);
    assertEquals(0, host.running());
    assertEquals(1, leaks.peakAliveThreads(), "one slot, one live thread");
  }

  // ---- helpers ------------------------------------------------------------------------------

  /**
   * Tasks that block until released, and a driver that keeps exactly {@code limit} of them running:
   * it waits for {@code limit} starts, then releases the oldest and waits for the next start,
   * checking each time that exactly {@code limit} bodies run.
   */
  private static final class Overlap {
    final int n;
    final List<CountDownLatch> release = new ArrayList<>();
    final BlockingQueue<Integer> starts = new LinkedBlockingQueue<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final List<Integer> startOrder = new ArrayList<>();

    Overlap(int n) {
      this.n = n;
      for (int i = 0; i < n; i++) {
        release.add(new CountDownLatch(1));
      }
    }

    int task(int index) throws InterruptedException {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      starts.add(index);
      release.get(index).await();
      running.decrementAndGet();
      return index;
    }

    void drive(int limit) throws InterruptedException {
      Deque<Integer> holding = new ArrayDeque<>();
      while (startOrder.size() < limit) {
        holding.add(nextStart());
      }
      assertEquals(limit, running.get(), "bodies running now");
      while (!holding.isEmpty()) {
        release.get(holding.poll()).countDown();
        if (startOrder.size() < n) {
          // The new task got the slot of the released one, which had ended its body.
          holding.add(nextStart());
          assertEquals(limit, running.get(), "bodies running now");
        }
      }
    }

    private int nextStart() throws InterruptedException {
      Integer index = starts.poll(10, TimeUnit.SECONDS);
      assertNotNull(index, "no task started; started so far: " + startOrder);
      startOrder.add(index);
      return index;
    }

    /**
     * The first {@code limit} start at once, in any order; every queued one after them in order.
     */
    void assertQueuedStartsInFifoOrder(int limit) {
      assertEquals(
          IntStream.range(0, limit).boxed().toList(),
          startOrder.subList(0, limit).stream().sorted().toList());
      assertEquals(IntStream.range(limit, n).boxed().toList(), startOrder.subList(limit, n));
    }

    void releaseAll() {
      release.forEach(CountDownLatch::countDown);
    }
  }

  /** Records the clock time of each task start, and lets the test wait for starts. */
  private static final class Starts {
    private final ManualClock clock;
    private final Semaphore started = new Semaphore(0);
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

    Starts(ManualClock clock) {
      this.clock = clock;
    }

    String record() {
      nanos.add(clock.nanoTime() - ManualClock.ORIGIN);
      started.release();
      return "started";
    }

    void await(int count) throws InterruptedException {
      assertTrue(started.tryAcquire(count, 10, TimeUnit.SECONDS), "waited for " + count);
    }

    List<Long> millis() {
      synchronized (nanos) {
        return nanos.stream().map(t -> t / MS).sorted().toList();
      }
    }
  }

  /**
   * A {@link LimiterClock} moved by the test: {@link #advance} moves the time forward and runs, on
   * the calling thread and in due order, every action whose time has come.
   */
  static final class ManualClock implements LimiterClock {
    static final long ORIGIN = 1_000_000_000_000L;

    private record Due(long at, long sequence, Runnable action) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Due> due =
        new PriorityQueue<>(Comparator.comparingLong(Due::at).thenComparingLong(Due::sequence));
    private long now = ORIGIN;
    private long sequence;

    @Override
    public long nanoTime() {
      lock.lock();
      try {
        return now;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void schedule(long delayNanos, Runnable action) {
      lock.lock();
      try {
        due.add(new Due(now + Math.max(0, delayNanos), sequence++, action));
      } finally {
        lock.unlock();
      }
    }

    void advance(Duration by) {
      long target;
      lock.lock();
      try {
        target = now + by.toNanos();
      } finally {
        lock.unlock();
      }
      while (true) {
        Due next;
        lock.lock();
        try {
          next = due.peek();
          if (next == null || next.at() > target) {
            now = target;
            return;
          }
          due.poll();
          now = Math.max(now, next.at());
        } finally {
          lock.unlock();
        }
        next.action().run();
      }
    }
  }
}
