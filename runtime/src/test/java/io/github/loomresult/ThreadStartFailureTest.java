package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread factory that throws when a queued task is dispatched (N15): the task fails and its own
 * nursery reports it, and neither the limiter, nor the tasks dispatched with it, nor another
 * nursery sharing the limiter is left waiting.
 */
class ThreadStartFailureTest {

  /**
   * A thread factory that starts the thread it returns breaks its contract: the nursery refuses
   * that thread (the task fails, and the nursery with it, as when a start fails), and the task's
   * code never runs on it, so no task outlives the nursery and none is booked twice.
   */
  @Test
  @Timeout(30) // a task run on a thread the nursery refused can keep the nursery from ending
  void n15_aThreadTheFactoryAlreadyStartedNeverRunsTheTask() throws Exception {
    AtomicReference<Thread> given = new AtomicReference<>();
    AtomicBoolean ran = new AtomicBoolean();
    ThreadFactory startsItself =
        r -> {
          Thread t = Thread.ofVirtual().unstarted(r);
          given.set(t);
          t.start();
          return t;
        };
    NurseryFailedException failed =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.builder()
                    .threadFactory(startsItself)
                    .runVoid(n -> n.startSoon(() -> ran.getAndSet(true))));
    RejectedExecutionException refused =
        assertInstanceOf(RejectedExecutionException.class, failed.getCause());
    assertTrue(refused.getMessage().contains("already started"), refused.getMessage());
    given.get().join();
    assertFalse(ran.get(), "the task ran on a thread the nursery refused");
  }

  /**
   * Two nurseries share a limiter of one slot. When x's task ends, its thread dispatches y's queued
   * task, whose thread factory throws: y's task fails, and x's task is still booked as finished, so
   * x joins.
   */
  @Test
  void n15_failedThreadStartOfAnotherNurserysQueuedTaskDoesNotStrandTheReleasingNursery()
      throws Exception {
    Limiter shared = Limiter.maxAtOnce(1);
    AtomicReference<String> xAfterTaskEnded = new AtomicReference<>();
    AtomicReference<Throwable> yJoin = new AtomicReference<>();
    CountDownLatch recorded = new CountDownLatch(1);
    Thread worker =
        Thread.ofPlatform()
            .daemon(true)
            .start(() -> {
              try {
                TrackingThreadFactory xThreads = TrackingThreadFactory.virtual("x-");
                CountDownLatch release = new CountDownLatch(1);
                Nursery x = Nursery.builder().name("x").threadFactory(xThreads).open();
                ResultCapture<Void> a =
                    ResultCapture.builder().limiter(shared).startSoon(x, () -> release.await());
                ThreadFactory noThreads =
                    r -> {
                      throw new RejectedExecutionException("no threads left");
                    };
                Nursery y = Nursery.builder().name("y").threadFactory(noThreads).open();
                ResultCapture<Void> b =
                    ResultCapture.builder().limiter(shared).startSoon(y, () -> {});
                assertEquals(1, shared.queued());
                release.countDown(); // a ends; its thread dispatches b, whose start fails
                a.waitDone();
                b.waitDone();
                for (Thread t : xThreads.threads()) {
                  t.join();
                }
                try {
                  y.join();
                } catch (Throwable t) {
                  yJoin.set(t);
                }
                xAfterTaskEnded.set(x.toString());
                recorded.countDown();
                x.join(); // would hang if a had not been booked as finished
              } catch (Throwable t) {
                xAfterTaskEnded.set("worker failed: " + t);
                recorded.countDown();
              }
            });
    recorded.await();
    assertEquals("Nursery[x, open, running=0, finished=1]", xAfterTaskEnded.get());
    worker.join(Duration.ofSeconds(10));
    assertFalse(worker.isAlive(), "x.join() never returned");
  }

  /**
   * The failure to start a dispatched task's thread is that task's failure, reported by its own
   * nursery.
   */
  @Test
  void n15_failedThreadStartOfADispatchedTaskIsReportedToItsNursery() throws Exception {
    Limiter shared = Limiter.maxAtOnce(1);
    AtomicReference<Throwable> yJoin = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread.ofPlatform()
        .daemon(true)
        .start(() -> {
          try {
            CountDownLatch release = new CountDownLatch(1);
            Nursery x = Nursery.builder().name("x").open();
            ResultCapture<Void> a =
                ResultCapture.builder().limiter(shared).startSoon(x, () -> release.await());
            AtomicInteger calls = new AtomicInteger();
            ThreadFactory noThreads =
                r -> {
                  throw new RejectedExecutionException("no threads left #" + calls.get());
                };
            Nursery y = Nursery.builder().name("y").threadFactory(noThreads).open();
            ResultCapture.builder().limiter(shared).startSoon(y, () -> {}).toString();
            release.countDown();
            a.waitDone();
            try {
              y.join();
            } catch (Throwable t) {
              yJoin.set(t);
            }
          } catch (Throwable t) {
            yJoin.set(new AssertionError("worker failed", t));
          } finally {
            done.countDown();
          }
        });
    done.await();
    assertInstanceOf(
        NurseryFailedException.class,
        yJoin.get(),
        "y's task could not start, yet y.join() returned normally (N5)");
  }

  /** A clock that runs scheduled actions on the thread that advances it. */
  static final class ManualClock implements LimiterClock {
    private long now;
    private final List<Object[]> scheduled = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
      return now;
    }

    @Override
    public synchronized void schedule(long delayNanos, Runnable action) {
      scheduled.add(new Object[] {now + delayNanos, action});
    }

    void advance(long nanos) {
      List<Runnable> due = new ArrayList<>();
      synchronized (this) {
        now += nanos;
        scheduled.removeIf(s -> {
          if ((long) s[0] <= now) {
            due.add((Runnable) s[1]);
            return true;
          }
          return false;
        });
      }
      due.forEach(Runnable::run);
    }
  }

  /**
   * A rate limiter's wake-up dispatches two queued tasks at once and the first one's thread cannot
   * be created: that task fails, and the second still gets its thread.
   */
  @Test
  void n15_oneFailedStartInARateLimitWakeUpDoesNotStrandTheTicketsDispatchedWithIt()
      throws Exception {
    ManualClock clock = new ManualClock();
    Limiter limiter = Limiter.builder().maxPerSecond(1, 2).clock(clock).build();
    AtomicBoolean failNext = new AtomicBoolean();
    AtomicInteger created = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          if (failNext.getAndSet(false)) {
            throw new RejectedExecutionException("no thread this time");
          }
          created.incrementAndGet();
          return Thread.ofVirtual().unstarted(r);
        };
    AtomicReference<String> state = new AtomicReference<>();
    CountDownLatch recorded = new CountDownLatch(1);
    Thread.ofPlatform()
        .daemon(true)
        .start(() -> {
          try {
            Nursery n = Nursery.builder().limiter(limiter).threadFactory(factory).open();
            n.startSoon(() -> {}); // token 1
            n.startSoon(() -> {}); // token 2
            ResultCapture<Void> t3 = n.startSoon(() -> {}); // queued
            ResultCapture<Void> t4 = n.startSoon(() -> {}); // queued
            // Both token holders must have given their slots back first: otherwise one of their
            // threads could take t3 over by hand-off once the clock has moved.
            while (limiter.running() != 0) {
              Thread.onSpinWait();
            }
            failNext.set(true);
            try {
              clock.advance(2_000_000_000L); // both tickets dispatched; t3's start fails
            } catch (RejectedExecutionException expected) {
              // where the dispatch failure surfaces is not the point: the state below is
            }
            state.set(
                "threads=" + created.get() + " t3=" + t3.state() + " queued=" + limiter.queued());
            recorded.countDown();
            t4.waitDone();
            n.join();
          } catch (Throwable t) {
            state.compareAndSet(null, "worker failed: " + t);
            recorded.countDown();
          }
        });
    recorded.await();
    // t4 was taken off the queue (queued=0) and counted, so it must have got a thread.
    assertEquals("threads=3 t3=FAILED queued=0", state.get());
  }
}
