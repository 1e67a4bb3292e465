package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Field;
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

/** Deterministic reproductions for the concurrency review. Each test FAILS on the current code. */
class ReviewFindingsTest {

  // ---- 1. a queued task starts without the previous task's interrupt status ----

  @Test
  void taskHandedASlotDoesNotInheritThePreviousTasksInterruptStatus() throws Exception {
    Limiter one = Limiter.maxAtOnce(1);
    CountDownLatch bQueued = new CountDownLatch(1);
    Boolean bSawInterrupt =
        Nursery.builder()
            .limiter(one)
            .run(n -> {
              n.startSoon(() -> {
                bQueued.await();
                Thread.currentThread().interrupt(); // "restore the interrupt" idiom
              });
              ResultCapture<Boolean> b = n.startSoon(() -> Thread.currentThread().isInterrupted());
              assertEquals(1, one.queued());
              bQueued.countDown();
              b.waitDone();
              return b.result();
            });
    assertFalse(bSawInterrupt, "task b started with a pending interrupt it never got");
  }

  // ---- 2. stray interrupt left on the caller's thread after Nursery.run returns ----

  @Test
  void innerCaptureCancelThenNurseryCancelLeavesNoInterruptOnTheCaller() {
    CountDownLatch spinning = new CountDownLatch(1);
    AtomicBoolean go = new AtomicBoolean();
    boolean stray;
    Throwable thrown = null;
    try {
      Nursery.runVoid(n -> {
        ResultCapture<String> inner =
            ResultCapture.of(() -> {
              spinning.countDown();
              while (!go.get()) {
                Thread.onSpinWait(); // busy: does not consume interrupts
              }
              return "done";
            });
        ResultCapture<Void> helper =
            n.startSoon(() -> {
              spinning.await();
              inner.cancel(); // interrupts the owner thread (inner runs on it)
              n.cancel(); // body: owner is "already interrupted" -> interruptedByUs=false
              go.set(true);
            });
        inner.run(); // inner absorbs its interrupt and re-asserts it for the body
        while (!helper.isDone()) {
          Thread.onSpinWait();
        }
      });
    } catch (Throwable t) {
      thrown = t;
    } finally {
      stray = Thread.interrupted();
    }
    assertNull(thrown, "a nursery cancelled with cancel() returns normally (N8)");
    assertFalse(stray, "Nursery.run returned with an interrupt that nobody outside sent");
  }

  // ---- 3. a shield inside a nested nursery's body is broken by the enclosing task's cancel ----

  @Test
  void shieldInNestedNurseryBodyIsNotInterruptedByEnclosingTaskCancel() throws Exception {
    CountDownLatch inShield = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interruptedInShield = new AtomicBoolean();
    Nursery.runVoid(outer -> {
      ResultCapture<Void> a =
          outer.startSoon(() ->
              Nursery.runVoid(inner ->
                  Cancellation.shield(() -> {
                    inShield.countDown();
                    while (true) {
                      try {
                        release.await();
                        break;
                      } catch (InterruptedException e) {
                        interruptedInShield.set(true);
                      }
                    }
                    if (Thread.currentThread().isInterrupted()) {
                      interruptedInShield.set(true);
                    }
                    return null;
                  })));
      inShield.await();
      a.cancel(); // returns after the interrupt was sent
      release.countDown();
      a.waitDone();
    });
    assertFalse(interruptedInShield.get(), "the shielded section was interrupted");
  }

  // ---- 4. a queued task of another nursery whose thread cannot be created hangs this nursery ----

  @Test
  void failedThreadStartOfAnotherNurserysQueuedTaskDoesNotStrandTheReleasingNursery()
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
                x.join(); // hangs on the current code: a was never booked as finished
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

  @Test
  void failedThreadStartOfADispatchedTaskIsReportedToItsNursery() throws Exception {
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

  // ---- 5. rate-limit wake-up: one failed thread start strands the other dispatched tickets ----

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

  @Test
  void oneFailedStartInARateLimitWakeUpDoesNotStrandTheTicketsDispatchedWithIt() throws Exception {
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
              // escapes the timer action on the current code
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

  // ---- 6. timed-out / interrupted waits leave their nodes on the handle forever ----

  @Test
  void timedOutWaitsDoNotAccumulateOnALongLivedHandle() throws Exception {
    Future<String> shutdown = new Future<>();
    for (int i = 0; i < 5_000; i++) {
      assertFalse(shutdown.waitDone(Duration.ofNanos(1)));
      assertTrue(Results.waitAny(List.of(shutdown), Duration.ofNanos(1)).isEmpty());
    }
    int nodes = waiterNodes(shutdown);
    assertTrue(nodes < 100, nodes + " dead waiter nodes retained by one pending Future");
  }

  private static int waiterNodes(ResultBase<?> handle) throws Exception {
    Field head = ResultBase.class.getDeclaredField("waiters");
    head.setAccessible(true);
    Object w = head.get(handle);
    int count = 0;
    while (w != null) {
      count++;
      Field next = w.getClass().getDeclaredField("next");
      next.setAccessible(true);
      w = next.get(w);
    }
    return count;
  }
}
