package io.github.loomresult;

import static io.github.loomresult.BlockedThreads.FOREVER;
import static io.github.loomresult.BlockedThreads.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rules R13 and R14 of SEMANTICS.md: {@link CompletableFuture} views, thread safety and waiting
 * without pinning virtual threads.
 */
class InteropTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static final long BOUND_SECONDS = 20;

  // ---- R13: CompletableFuture views -------------------------------------------------------------

  @Test
  void r13_viewCompletesWithTheValue() throws Exception {
    CompletableFuture<String> view =
        Nursery.run(n -> {
          CountDownLatch release = new CountDownLatch(1);
          ResultCapture<String> t =
              n.startSoon(() -> {
                release.await();
                return "v";
              });
          CompletableFuture<String> v = t.toCompletableFuture();
          assertFalse(v.isDone());
          release.countDown();
          return v;
        });
    assertEquals("v", view.get(BOUND_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void r13_viewOfAFailedTaskCompletesExceptionallyWithTheOriginalException() {
    IOException boom = new IOException("boom");
    ResultCapture<String> c =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              throw boom;
            });
    CompletableFuture<String> view = c.toCompletableFuture();
    c.run();
    ExecutionException e = assertThrows(ExecutionException.class, view::get);
    assertSame(boom, e.getCause());
    assertFalse(view.isCancelled());
  }

  @Test
  void r13_viewOfACancelledTaskIsCancelled() {
    ResultCapture<String> c = ResultCapture.of(() -> "v");
    c.cancel();
    CompletableFuture<String> view = c.toCompletableFuture();
    assertTrue(view.isCancelled());
  }

  @Test
  void r13_viewOfAnAlreadyDoneHandleIsAlreadyComplete() {
    Future<String> f = new Future<>();
    f.setResult("v");
    CompletableFuture<String> view = f.toCompletableFuture();
    assertTrue(view.isDone());
    assertEquals("v", view.getNow("absent"));
  }

  @Test
  void r13_futureViewCompletesWhenTheFutureIsSet() {
    Future<String> f = new Future<>();
    CompletableFuture<String> view = f.toCompletableFuture();
    assertFalse(view.isDone());
    f.setResult("v");
    assertEquals("v", view.getNow("absent"));
  }

  @Test
  void r13_viewUsesNoExtraThread() {
    AtomicReference<Thread> taskThread = new AtomicReference<>();
    AtomicReference<Thread> dependentThread = new AtomicReference<>();
    Nursery.runVoid(n -> {
      CountDownLatch release = new CountDownLatch(1);
      ResultCapture<String> t =
          n.startSoon(() -> {
            taskThread.set(Thread.currentThread());
            release.await();
            return "v";
          });
      t.toCompletableFuture().thenRun(() -> dependentThread.set(Thread.currentThread()));
      release.countDown();
    });
    // The view was completed by the task's own thread, not by a helper thread.
    assertSame(taskThread.get(), dependentThread.get());
    assertEquals(1, leaks.createdCount());
  }

  @Test
  void r13_cancellingTheViewDoesNotCancelTheTask() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch release = new CountDownLatch(1);
          ResultCapture<String> t =
              n.startSoon(() -> {
                release.await();
                return "v";
              });
          assertTrue(t.toCompletableFuture().cancel(true));
          assertFalse(t.isCancelRequested());
          release.countDown();
          return t;
        });
    assertEquals(TaskState.SUCCEEDED, c.state());
    assertEquals("v", c.result());
  }

  @Test
  void r13_cancellingAViewThatWasNotAskedToCancelDoesNotCancelTheTask() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch release = new CountDownLatch(1);
          ResultCapture<String> t =
              n.startSoon(() -> {
                release.await();
                return "v";
              });
          assertTrue(t.toCompletableFuture(false).cancel(true));
          assertFalse(t.isCancelRequested());
          release.countDown();
          return t;
        });
    assertEquals(TaskState.SUCCEEDED, c.state());
  }

  @Test
  void r13_cancellingTheViewCancelsTheTaskWhenAsked() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch entered = new CountDownLatch(1);
          ResultCapture<Void> t =
              n.startSoon(() -> {
                entered.countDown();
                Thread.sleep(FOREVER);
              });
          entered.await();
          assertTrue(t.toCompletableFuture(true).cancel(true));
          return t;
        });
    assertEquals(TaskState.CANCELLED, c.state());
  }

  @Test
  void r13_completingTheViewDoesNotAffectTheTask() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch release = new CountDownLatch(1);
          ResultCapture<String> t =
              n.startSoon(() -> {
                release.await();
                return "real";
              });
          CompletableFuture<String> view = t.toCompletableFuture(true);
          view.complete("fake");
          view.obtrudeException(new IOException("fake"));
          assertFalse(t.isDone());
          release.countDown();
          return t;
        });
    assertEquals("real", c.result());
  }

  // ---- R14: thread safety, no pinning -----------------------------------------------------------

  @Test
  void r14_waitersOnMoreHandlesThanCarriersDoNotPinTheCarriers() throws Exception {
    int carriers =
        Integer.getInteger(
            "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    int handles = carriers * 4 + 4;
    Queue<Thread> waiterThreads = new ConcurrentLinkedQueue<>();
    CountDownLatch waitersRunning = new CountDownLatch(handles);
    CountDownLatch releaseTargets = new CountDownLatch(1);
    CountDownLatch progressed = new CountDownLatch(1);
    AtomicInteger woken = new AtomicInteger();

    Nursery.runVoid(n -> {
      List<ResultCapture<Integer>> targets = new ArrayList<>();
      for (int i = 0; i < handles; i++) {
        int index = i;
        targets.add(
            n.startSoon(() -> {
              releaseTargets.await();
              return index;
            }));
      }
      for (int i = 0; i < handles; i++) {
        ResultCapture<Integer> target = targets.get(i);
        boolean timed = i % 2 == 0;
        n.startSoon(() -> {
          waiterThreads.add(Thread.currentThread());
          waitersRunning.countDown();
          if (timed) {
            assertTrue(target.waitDone(Duration.ofDays(1)));
          } else {
            target.waitDone();
          }
          woken.incrementAndGet();
        });
      }
      waitersRunning.await();
      for (Thread t : waiterThreads) {
        awaitBlocked(t);
      }
      // Every waiter is parked in waitDone. Had they pinned their carriers, no carrier would be
      // free for this new virtual thread, and the handshake would never complete.
      n.startSoon(progressed::countDown);
      assertTrue(progressed.await(BOUND_SECONDS, TimeUnit.SECONDS), "no progress: pinned?");
      assertEquals(0, woken.get());
      releaseTargets.countDown();
    });
    assertEquals(handles, woken.get());
  }

  @Test
  void r14_concurrentSettersOfAFutureHaveExactlyOneWinner() throws Exception {
    int setters = 16;
    for (int round = 0; round < 50; round++) {
      Future<Integer> f = new Future<>();
      CyclicBarrier together = new CyclicBarrier(setters);
      AtomicInteger winners = new AtomicInteger();
      AtomicInteger winner = new AtomicInteger(-1);
      AtomicInteger refused = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < setters; i++) {
        int value = i;
        threads.add(
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    together.await();
                    if (value % 2 == 0) {
                      f.setResult(value);
                    } else {
                      f.setException(new IOException(String.valueOf(value)));
                    }
                    winners.incrementAndGet();
                    winner.set(value);
                  } catch (FutureSetAgainException e) {
                    refused.incrementAndGet();
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                }));
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(1, winners.get());
      assertEquals(setters - 1, refused.get());
      if (winner.get() % 2 == 0) {
        assertEquals(winner.get(), f.result());
      } else {
        assertEquals(String.valueOf(winner.get()), f.exception().getMessage());
      }
    }
  }

  @Test
  void r14_cancelRacingCompletionEndsInOneConsistentState() {
    for (int round = 0; round < 100; round++) {
      ResultCapture<?> c =
          Nursery.run(n -> {
            CyclicBarrier together = new CyclicBarrier(2);
            ResultCapture<String> t =
                n.startSoon(() -> {
                  together.await();
                  return "v";
                });
            together.await();
            t.cancel();
            return t;
          });
      if (c.state() == TaskState.SUCCEEDED) {
        assertEquals("v", c.result());
      } else {
        assertEquals(TaskState.CANCELLED, c.state());
        assertInstanceOf(TaskCancelledException.class, c.exception());
      }
    }
  }
}
