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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** W1 and W2: {@link Results#waitAll} and {@link Results#waitAny}, plain and timed. */
class WaitTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static final Duration SHORT = Duration.ofMillis(20);

  // ---- W1: waitAll ----------------------------------------------------------------------------

  @Test
  void w1_waitAllReturnsOnlyWhenEveryHandleIsDone() throws Exception {
    AtomicBoolean waiterReturned = new AtomicBoolean();
    AtomicBoolean returnedBeforeLastTask = new AtomicBoolean();
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch last = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<String> a = n.startSoon(() -> await(first, "a"));
      ResultCapture<String> b =
          n.startSoon(() -> {
            await(last, "b");
            // This handle is not done yet, so a correct waitAll cannot have returned.
            returnedBeforeLastTask.set(waiterReturned.get());
            return "b";
          });
      Future<String> c = new Future<>();
      List<ResultBase<String>> handles = List.of(a, b, c);
      ResultCapture<List<Boolean>> waiter =
          n.startSoon(() -> {
            Results.waitAll(handles);
            waiterReturned.set(true);
            return handles.stream().map(ResultBase::isDone).toList();
          });
      first.countDown();
      a.waitDone();
      c.setResult("c");
      assertFalse(waiter.waitDone(SHORT), "waitAll returned while b was running");
      last.countDown();
      waiter.waitDone();
      assertEquals(List.of(true, true, true), waiter.result());
    });
    assertFalse(returnedBeforeLastTask.get());
  }

  @Test
  void w1_waitAllNeverThrowsTheTasksExceptions() throws Exception {
    IOException boom = new IOException("boom");
    Future<String> failedFuture = new Future<>();
    failedFuture.setException(boom);
    Nursery.runVoid(n -> {
      ResultCapture<String> failed =
          ResultCapture.builder()
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    throw boom;
                  });
      ResultCapture<Void> cancelled = n.startSoon(() -> Thread.sleep(Duration.ofDays(1)));
      cancelled.cancel();
      Results.waitAll(failed, cancelled, failedFuture);
      assertSame(boom, failed.exception());
      assertEquals(TaskState.CANCELLED, cancelled.state());
      assertTrue(Results.waitAll(List.of(failed, cancelled, failedFuture), Duration.ZERO));
    });
  }

  @Test
  void w1_timedWaitAllReportsWhetherEveryHandleIsDone() throws Exception {
    Future<Integer> done = new Future<>();
    done.setResult(1);
    Future<Integer> pending = new Future<>();
    assertFalse(Results.waitAll(List.of(done, pending), SHORT));
    assertFalse(Results.waitAll(List.of(done, pending), Duration.ZERO));
    assertFalse(pending.isDone());
    pending.setResult(2);
    assertTrue(Results.waitAll(List.of(done, pending), Duration.ZERO));
    assertTrue(Results.waitAll(List.of(done, pending), Duration.ofDays(1)));
  }

  @Test
  void w1_timedWaitAllWakesWhenTheLastHandleCompletes() throws Exception {
    Future<Integer> a = new Future<>();
    Future<Integer> b = new Future<>();
    AtomicReference<Boolean> result = new AtomicReference<>();
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                result.set(Results.waitAll(List.of(a, b), Duration.ofDays(1)));
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    a.setResult(1);
    BlockedThreads.awaitBlocked(waiter);
    b.setResult(2);
    waiter.join();
    assertEquals(Boolean.TRUE, result.get());
  }

  @Test
  void w1_waitAllOfNoHandlesReturnsAtOnce() throws Exception {
    Results.waitAll(List.of());
    Results.waitAll();
    assertTrue(Results.waitAll(List.of(), Duration.ZERO));
  }

  // ---- W2: waitAny ----------------------------------------------------------------------------

  @Test
  void w2_waitAnyReturnsTheFirstHandleToFinish() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<String> a = n.startSoon(() -> await(never, "a"));
      ResultCapture<String> b = n.startSoon(() -> await(never, "b"));
      Future<String> c = new Future<>();
      AtomicReference<ResultBase<String>> winner = new AtomicReference<>();
      Thread waiter =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  winner.set(Results.waitAny(List.<ResultBase<String>>of(a, b, c)));
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
              });
      BlockedThreads.awaitBlocked(waiter);
      b.cancel();
      waiter.join();
      assertSame(b, winner.get());
      assertFalse(a.isDone());
      assertFalse(c.isDone());
      n.cancel();
    });
  }

  @Test
  void w2_waitAnyOverMixedHandlesReturnsTheFutureWhenItFinishesFirst() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<String> capture = n.startSoon(() -> await(release, "capture"));
      Future<String> future = new Future<>();
      List<ResultBase<String>> handles = List.of(capture, future);
      AtomicReference<ResultBase<String>> winner = new AtomicReference<>();
      Thread waiter =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  winner.set(Results.waitAny(handles));
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
              });
      BlockedThreads.awaitBlocked(waiter);
      future.setResult("future");
      waiter.join();
      assertSame(future, winner.get());
      assertFalse(capture.isDone());
      release.countDown();
      capture.waitDone();
      assertSame(capture, Results.waitAny(handles), "both done now: first in iteration order");
      assertSame(future, Results.waitAny(List.<ResultBase<String>>of(future, capture)));
    });
  }

  @Test
  void w2_waitAnyReturnsAFailedHandleWithoutThrowing() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    Future<String> pending = new Future<>();
    Future<String> failed = new Future<>();
    Thread.ofVirtual().start(() -> failed.setException(boom));
    assertSame(failed, Results.waitAny(List.of(pending, failed)));
    assertSame(boom, failed.exception());
  }

  @Test
  void w2_waitAnyWithSeveralDoneReturnsTheFirstInIterationOrder1000Times() throws Exception {
    for (int round = 0; round < 1000; round++) {
      int size = 6;
      List<ResultBase<Integer>> handles = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (i % 2 == 0) {
          handles.add(new Future<>());
        } else {
          int value = i;
          handles.add(ResultCapture.of(() -> value));
        }
      }
      // Complete a varying subset, last to first, so that the first to complete is never the
      // first in iteration order.
      int firstDone = 1 + round % (size - 2);
      for (int i = size - 1; i >= firstDone; i--) {
        if (i != firstDone + 1) {
          complete(handles.get(i), i);
        }
      }
      assertSame(handles.get(firstDone), Results.waitAny(handles), "round " + round);
      assertSame(handles.get(firstDone), Results.waitAny(handles, Duration.ZERO).orElseThrow());
    }
  }

  @Test
  void w2_waitAnyOfNoHandlesIsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Results.waitAny(List.<Future<?>>of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> Results.waitAny(List.<Future<?>>of(), Duration.ofDays(1)));
  }

  @Test
  void w2_timedWaitAnyIsEmptyWhenNothingFinishesInTime() throws Exception {
    Future<String> a = new Future<>();
    Future<String> b = new Future<>();
    assertEquals(Optional.empty(), Results.waitAny(List.of(a, b), SHORT));
    assertEquals(Optional.empty(), Results.waitAny(List.of(a, b), Duration.ZERO));
    assertFalse(a.isDone());
    assertFalse(b.isDone());
    b.setResult("b");
    assertEquals(Optional.of(b), Results.waitAny(List.of(a, b), Duration.ZERO));
  }

  @Test
  void w2_timedWaitAnyWakesWhenAHandleCompletes() throws Exception {
    Future<String> a = new Future<>();
    Future<String> b = new Future<>();
    AtomicReference<Optional<Future<String>>> winner = new AtomicReference<>();
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                winner.set(Results.waitAny(List.of(a, b), Duration.ofDays(1)));
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    BlockedThreads.awaitBlocked(waiter);
    b.setResult("b");
    waiter.join();
    assertEquals(Optional.of(b), winner.get());
  }

  @Test
  void w2_waitAnyOver10000PendingFuturesCreatesNoThread() throws Exception {
    List<Future<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      futures.add(new Future<>());
    }
    AtomicReference<Future<Integer>> winner = new AtomicReference<>();
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                winner.set(Results.waitAny(futures));
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    BlockedThreads.awaitBlocked(waiter);
    assertEquals(0, leaks.createdCount());
    futures.get(9_999).setResult(9_999);
    waiter.join();
    assertSame(futures.get(9_999), winner.get());
    assertEquals(0, leaks.createdCount());
  }

  @Test
  void w1_waitAllOver10000PendingFuturesCreatesNoThread() throws Exception {
    List<Future<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      futures.add(new Future<>());
    }
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                Results.waitAll(futures);
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    for (int i = futures.size() - 1; i >= 0; i--) {
      futures.get(i).setResult(i);
    }
    waiter.join();
    assertEquals(0, leaks.createdCount());
  }

  // ---- interrupting a waiter ------------------------------------------------------------------

  @Test
  void w2_interruptingWaitAnyDoesNotCancelTheTasks() throws Exception {
    assertInterruptLeavesTaskRunning(handles -> {
      ResultBase<String> unused = Results.waitAny(handles);
    });
  }

  @Test
  void w2_interruptingTimedWaitAnyDoesNotCancelTheTasks() throws Exception {
    assertInterruptLeavesTaskRunning(handles -> {
      Optional<ResultBase<String>> unused = Results.waitAny(handles, Duration.ofDays(1));
    });
  }

  @Test
  void w1_interruptingWaitAllDoesNotCancelTheTasks() throws Exception {
    assertInterruptLeavesTaskRunning(handles -> Results.waitAll(handles));
  }

  @Test
  void w1_interruptingTimedWaitAllDoesNotCancelTheTasks() throws Exception {
    assertInterruptLeavesTaskRunning(handles -> {
      boolean unused = Results.waitAll(handles, Duration.ofDays(1));
    });
  }

  private interface Wait {
    void on(List<ResultBase<String>> handles) throws InterruptedException;
  }

  private void assertInterruptLeavesTaskRunning(Wait wait) throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<String> task =
          n.startSoon(() -> {
            running.countDown();
            return await(release, "done");
          });
      Future<String> future = new Future<>();
      List<ResultBase<String>> handles = List.of(task, future);
      running.await();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread waiter =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  wait.on(handles);
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      BlockedThreads.awaitBlocked(waiter);
      waiter.interrupt();
      waiter.join();
      assertInstanceOf(InterruptedException.class, thrown.get());
      assertFalse(task.isCancelRequested());
      assertFalse(n.isCancelled());
      assertEquals(TaskState.RUNNING, task.state());
      assertFalse(future.isDone());
      release.countDown();
      future.setResult("future");
      task.waitDone();
      assertEquals("done", task.result());
    });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static <T> T await(CountDownLatch latch, T value) throws InterruptedException {
    latch.await();
    return value;
  }

  private static void complete(ResultBase<Integer> handle, int value) {
    if (handle instanceof Future<Integer> f) {
      f.setResult(value);
    } else {
      ((ResultCapture<Integer>) handle).run();
    }
  }
}
