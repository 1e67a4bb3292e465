package io.github.loomresult;

import static io.github.loomresult.BlockedThreads.FOREVER;
import static io.github.loomresult.BlockedThreads.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rules R1-R8 and R11 of SEMANTICS.md: the task handle and how it reports its task. */
class ResultCaptureTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static final Duration BOUND = Duration.ofSeconds(20);

  // ---- R1: state, isDone, waitDone ------------------------------------------------------------

  @Test
  void r1_captureMovesFromPendingThroughRunningToSucceeded() {
    AtomicReference<ResultCapture<String>> self = new AtomicReference<>();
    AtomicReference<TaskState> seenInside = new AtomicReference<>();
    AtomicReference<Boolean> doneInside = new AtomicReference<>();
    ResultCapture<String> c =
        ResultCapture.of(() -> {
          seenInside.set(self.get().state());
          doneInside.set(self.get().isDone());
          return "v";
        });
    self.set(c);
    assertEquals(TaskState.PENDING, c.state());
    assertFalse(c.isDone());

    c.run();

    assertEquals(TaskState.RUNNING, seenInside.get());
    assertFalse(doneInside.get());
    assertEquals(TaskState.SUCCEEDED, c.state());
    assertTrue(c.isDone());
  }

  @Test
  void r1_failedTaskEndsInFailedState() {
    ResultCapture<Object> c =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              throw new IOException("reset");
            });
    c.run();
    assertEquals(TaskState.FAILED, c.state());
    assertTrue(c.isDone());
  }

  @Test
  void r1_cancelledTaskEndsInCancelledState() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch entered = new CountDownLatch(1);
          ResultCapture<Void> t =
              n.startSoon(() -> {
                entered.countDown();
                Thread.sleep(FOREVER);
              });
          entered.await();
          t.cancel();
          return t;
        });
    assertEquals(TaskState.CANCELLED, c.state());
    assertTrue(c.isDone());
  }

  @Test
  void r1_waitDoneBlocksUntilTheTaskIsDone() {
    Thread body = Thread.currentThread();
    String value =
        Nursery.run(n -> {
          CountDownLatch release = new CountDownLatch(1);
          ResultCapture<String> t =
              n.startSoon(() -> {
                release.await();
                return "v";
              });
          n.startSoon(() -> {
            awaitBlocked(body); // the body is parked in waitDone below
            release.countDown();
          });
          t.waitDone();
          assertTrue(t.isDone());
          return t.result();
        });
    assertEquals("v", value);
  }

  @Test
  void r1_timedWaitReturnsFalseWhileNotDoneAndTrueOnceDone() {
    Nursery.runVoid(n -> {
      CountDownLatch release = new CountDownLatch(1);
      ResultCapture<String> t =
          n.startSoon(() -> {
            release.await();
            return "v";
          });
      long before = System.nanoTime();
      assertFalse(t.waitDone(Duration.ofMillis(20)));
      assertTrue(System.nanoTime() - before >= Duration.ofMillis(20).toNanos());
      assertFalse(t.isDone());
      release.countDown();
      assertTrue(t.waitDone(BOUND));
      assertEquals("v", t.result());
    });
  }

  @Test
  void r1_waitDoneIsInterruptible() throws InterruptedException {
    ResultCapture<String> never = ResultCapture.of(() -> "never run");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, never::waitDone);
    assertFalse(Thread.currentThread().isInterrupted());
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> never.waitDone(BOUND));
    assertFalse(Thread.currentThread().isInterrupted());
    assertFalse(never.isDone());
  }

  // ---- R2: result() -----------------------------------------------------------------------------

  @Test
  void r2_resultReturnsTheValue() {
    ResultCapture<Integer> c = ResultCapture.of(() -> 42);
    c.run();
    assertEquals(42, c.result());
    assertEquals(42, c.result());
  }

  @Test
  void r2_resultMayBeNull() {
    ResultCapture<Object> c = ResultCapture.of(() -> null);
    c.run();
    assertEquals(TaskState.SUCCEEDED, c.state());
    assertNull(c.result());
  }

  @Test
  void r2_resultBeforeDoneThrowsTaskNotDoneWithoutBlocking() {
    Nursery.runVoid(n -> {
      CountDownLatch release = new CountDownLatch(1);
      ResultCapture<String> t =
          n.startSoon(() -> {
            release.await();
            return "v";
          });
      // The task cannot finish before release: a blocking result() would time out here.
      assertTimeoutPreemptively(BOUND, () -> assertThrows(TaskNotDoneException.class, t::result));
      release.countDown();
    });
  }

  @Test
  void r2_resultBeforeRunThrowsTaskNotDone() {
    ResultCapture<String> c = ResultCapture.of(() -> "v");
    assertThrows(TaskNotDoneException.class, c::result);
  }

  @Test
  void r2_resultAfterFailureThrowsTaskFailedWithTheOriginalCauseOnEveryCall() {
    IOException boom = new IOException("boom");
    ResultCapture<String> c =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              throw boom;
            });
    c.run();
    TaskFailedException first = assertThrows(TaskFailedException.class, c::result);
    TaskFailedException second = assertThrows(TaskFailedException.class, c::result);
    assertSame(boom, first.getCause());
    assertSame(boom, second.getCause());
  }

  @Test
  void r2_resultAfterCancellationThrowsTaskFailedCausedByTheCancellation() {
    ResultCapture<String> c = ResultCapture.of(() -> "v");
    c.cancel();
    TaskFailedException e = assertThrows(TaskFailedException.class, c::result);
    assertInstanceOf(TaskCancelledException.class, e.getCause());
    assertSame(c.exception(), e.getCause());
  }

  // ---- R3: exception() --------------------------------------------------------------------------

  @Test
  void r3_exceptionIsNullAfterSuccess() {
    ResultCapture<String> c = ResultCapture.of(() -> "v");
    c.run();
    assertNull(c.exception());
  }

  @Test
  void r3_exceptionIsTheOriginalObjectAfterFailure() {
    IllegalArgumentException boom = new IllegalArgumentException("bad");
    ResultCapture<String> c =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              throw boom;
            });
    c.run();
    assertSame(boom, c.exception());
    assertSame(boom, c.exception());
  }

  @Test
  void r3_exceptionAfterCancellationIsTaskCancelledCausedByWhatTheTaskThrew() {
    AtomicReference<InterruptedException> thrown = new AtomicReference<>();
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch entered = new CountDownLatch(1);
          ResultCapture<Void> t =
              n.startSoon(() -> {
                entered.countDown();
                try {
                  Thread.sleep(FOREVER);
                } catch (InterruptedException e) {
                  thrown.set(e);
                  throw e;
                }
              });
          entered.await();
          t.cancel();
          return t;
        });
    TaskCancelledException e = assertInstanceOf(TaskCancelledException.class, c.exception());
    assertSame(thrown.get(), e.getCause());
  }

  @Test
  void r3_exceptionBeforeDoneThrowsTaskNotDone() {
    ResultCapture<String> c = ResultCapture.of(() -> "v");
    assertThrows(TaskNotDoneException.class, c::exception);
    assertThrows(TaskNotDoneException.class, c::outcome);
  }

  // ---- R4: waitDone never throws the task's exception; waiters do not cancel ------------------

  @Test
  void r4_waitDoneDoesNotThrowTheTaskException() {
    Nursery.runVoid(n -> {
      ResultCapture<Object> t =
          ResultCapture.builder()
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    throw new IOException("reset");
                  });
      t.waitDone();
      assertTrue(t.waitDone(BOUND));
      assertInstanceOf(IOException.class, t.exception());
    });
  }

  @Test
  void r4_interruptingAWaiterDoesNotCancelTheTask() {
    Nursery.runVoid(n -> {
      CountDownLatch release = new CountDownLatch(1);
      ResultCapture<String> target =
          n.startSoon(() -> {
            release.await();
            return "v";
          });
      AtomicReference<Thread> waiterThread = new AtomicReference<>();
      CountDownLatch waiterRunning = new CountDownLatch(1);
      ResultCapture<Boolean> waiter =
          n.startSoon(() -> {
            waiterThread.set(Thread.currentThread());
            waiterRunning.countDown();
            try {
              target.waitDone();
              return false;
            } catch (InterruptedException expected) {
              return true;
            }
          });
      waiterRunning.await();
      awaitBlocked(waiterThread.get());
      waiterThread.get().interrupt();
      waiter.waitDone();

      assertTrue(waiter.result(), "the waiter saw InterruptedException");
      assertFalse(target.isDone());
      assertFalse(target.isCancelRequested());
      release.countDown();
      target.waitDone();
      assertEquals(TaskState.SUCCEEDED, target.state());
      assertEquals("v", target.result());
    });
  }

  @Test
  void r4_timingOutAWaiterDoesNotCancelTheTask() {
    Nursery.runVoid(n -> {
      CountDownLatch release = new CountDownLatch(1);
      ResultCapture<String> target =
          n.startSoon(() -> {
            release.await();
            return "v";
          });
      assertFalse(target.waitDone(Duration.ofMillis(5)));
      assertFalse(target.isCancelRequested());
      release.countDown();
      target.waitDone();
      assertEquals("v", target.result());
    });
  }

  // ---- R5: startSoon and where exceptions go ----------------------------------------------------

  @Test
  void r5_startSoonReturnsTheCaptureBeforeTheTaskFinishes() {
    Nursery.runVoid(n -> {
      CountDownLatch release = new CountDownLatch(1);
      ResultCapture<String> t =
          ResultCapture.startSoon(
              n,
              () -> {
                release.await();
                return "v";
              });
      assertFalse(t.isDone());
      release.countDown();
      t.waitDone();
      assertEquals("v", t.result());
    });
  }

  @Test
  void r5_taskExceptionIsCapturedAndPropagatesIntoTheNursery() {
    IOException boom = new IOException("boom");
    AtomicReference<ResultCapture<Object>> failing = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n ->
                    failing.set(
                        ResultCapture.startSoon(
                            n,
                            () -> {
                              throw boom;
                            }))));
    assertSame(boom, e.getCause());
    assertSame(boom, failing.get().exception());
  }

  @Test
  void r5_suppressExceptionKeepsAnOrdinaryExceptionInTheCapture() {
    IOException boom = new IOException("boom");
    AtomicReference<ResultCapture<Object>> failing = new AtomicReference<>();
    String value =
        Nursery.run(n -> {
          failing.set(
              ResultCapture.builder()
                  .suppressException()
                  .startSoon(
                      n,
                      () -> {
                        throw boom;
                      }));
          return "body";
        });
    assertEquals("body", value);
    assertEquals(TaskState.FAILED, failing.get().state());
    assertSame(boom, failing.get().exception());
  }

  @Test
  void r5_suppressExceptionStillPropagatesErrors() {
    AssertionError error = new AssertionError("broken invariant");
    AtomicReference<ResultCapture<Object>> failing = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n ->
                    failing.set(
                        ResultCapture.builder()
                            .suppressException()
                            .startSoon(
                                n,
                                () -> {
                                  throw error;
                                }))));
    assertSame(error, e.getCause());
    assertSame(error, failing.get().exception());
  }

  @Test
  void r5_suppressExceptionStillPropagatesCancellationExceptions() {
    // A CancellationException that the task throws without having been cancelled is not an
    // ordinary exception: suppressException must not hide it from the nursery.
    CancellationException stray = new CancellationException("upstream future was cancelled");
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n ->
                    ResultCapture.builder()
                        .suppressException()
                        .startSoon(
                            n,
                            () -> {
                              throw stray;
                            })));
    assertSame(stray, e.getCause());
  }

  @Test
  void r5_suppressedCaptureIsStillCancelledWithItsNursery() {
    AtomicReference<ResultCapture<Void>> quiet = new AtomicReference<>();
    Nursery.runVoid(n -> {
      CountDownLatch entered = new CountDownLatch(1);
      quiet.set(
          ResultCapture.builder()
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    entered.countDown();
                    Thread.sleep(FOREVER);
                  }));
      entered.await();
      n.cancel();
    });
    assertEquals(TaskState.CANCELLED, quiet.get().state());
  }

  // ---- R6: unstarted captures and run() ---------------------------------------------------------

  @Test
  void r6_unstartedCaptureRunsOnTheCallerThread() {
    Thread caller = Thread.currentThread();
    ResultCapture<Thread> c = ResultCapture.of(Thread::currentThread);
    c.run();
    assertSame(caller, c.result());
    assertEquals(0, leaks.createdCount());
  }

  @Test
  void r6_secondRunIsRefusedBeforeTheTaskRunsAgain() {
    AtomicInteger executions = new AtomicInteger();
    ResultCapture<Integer> c = ResultCapture.of(executions::incrementAndGet);
    c.run();
    assertThrows(IllegalStateException.class, c::run);
    assertEquals(1, executions.get());
    assertEquals(1, c.result());
  }

  @Test
  void r6_secondRunAfterFailureIsRefusedBeforeTheTaskRunsAgain() {
    AtomicInteger executions = new AtomicInteger();
    IOException boom = new IOException("boom");
    ResultCapture<Object> c =
        ResultCapture.of(() -> {
          executions.incrementAndGet();
          throw boom;
        });
    TaskFailedException e = assertThrows(TaskFailedException.class, c::run);
    assertSame(boom, e.getCause());
    IllegalStateException again = assertThrows(IllegalStateException.class, c::run);
    assertEquals(IllegalStateException.class, again.getClass());
    assertEquals(1, executions.get());
    assertSame(boom, c.exception());
  }

  /**
   * A capture started in a nursery belongs to it: {@code run()} by the body, by another thread or
   * by its own task is refused while it is queued, running or done, and the task runs once.
   */
  @Test
  void r6_runOfAStartedCaptureIsRefusedWhetherQueuedRunningOrDone() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> fromItself = new AtomicReference<>();
    AtomicReference<ResultCapture<Integer>> self = new AtomicReference<>();
    int[] runs = new int[1];
    Integer value =
        Nursery.builder()
            .maxAtOnce(1)
            .run(n -> {
              ResultCapture<Integer> first =
                  n.startSoon(() -> {
                    release.await();
                    try {
                      self.get().run();
                    } catch (Throwable t) {
                      fromItself.set(t);
                    }
                    return 1;
                  });
              self.set(first);
              ResultCapture<Integer> queued = n.startSoon(() -> ++runs[0]);
              assertEquals(TaskState.PENDING, queued.state());
              assertThrows(IllegalStateException.class, queued::run);
              AtomicReference<Throwable> fromOther = new AtomicReference<>();
              Thread other =
                  Thread.ofVirtual()
                      .start(() -> {
                        try {
                          queued.run();
                        } catch (Throwable t) {
                          fromOther.set(t);
                        }
                      });
              other.join();
              assertInstanceOf(IllegalStateException.class, fromOther.get());
              assertEquals(TaskState.PENDING, queued.state());
              assertThrows(IllegalStateException.class, first::run);
              release.countDown();
              queued.waitDone();
              assertThrows(IllegalStateException.class, queued::run);
              return first.result() + queued.result();
            });
    assertEquals(2, value);
    assertEquals(1, runs[0]);
    assertInstanceOf(IllegalStateException.class, fromItself.get());
  }

  @Test
  void r6_concurrentRunsExecuteTheTaskOnce() throws Exception {
    AtomicInteger executions = new AtomicInteger();
    ResultCapture<Integer> c = ResultCapture.of(executions::incrementAndGet);
    CyclicBarrier together = new CyclicBarrier(2);
    AtomicInteger refused = new AtomicInteger();
    Runnable racer =
        () -> {
          try {
            together.await();
            c.run();
          } catch (IllegalStateException e) {
            refused.incrementAndGet();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    Thread a = Thread.ofVirtual().start(racer);
    Thread b = Thread.ofVirtual().start(racer);
    a.join();
    b.join();
    assertEquals(1, executions.get());
    assertEquals(1, refused.get());
    assertEquals(1, c.result());
  }

  // ---- R7: what a capture runs ------------------------------------------------------------------

  @Test
  void r7_taskIsTheObjectTheCaptureRuns() {
    Callable<String> task = () -> "v";
    VoidTask voidTask = () -> {};
    assertSame(task, ResultCapture.of(task).task());
    assertSame(voidTask, ResultCapture.builder().build(voidTask).task());
    ResultCapture<?> started = Nursery.run(n -> n.startSoon(task));
    assertSame(task, started.task());
  }

  @Test
  void r7_descriptionNamesTheTaskAndWhereALambdaComesFrom() {
    ResultCapture<String> c = ResultCapture.builder().name("fetch").build(() -> "v");
    assertEquals("fetch (lambda in " + ResultCaptureTest.class.getName() + ")", c.description());
  }

  @Test
  void r7_descriptionUsesTheTaskToStringForOtherTasks() {
    Callable<String> task =
        new Callable<>() {
          @Override
          public String call() {
            return "v";
          }

          @Override
          public String toString() {
            return "GET /users/7";
          }
        };
    ResultCapture<String> c = ResultCapture.builder().name("fetch").build(task);
    assertEquals("fetch (GET /users/7)", c.description());
  }

  @Test
  void r7_tasksInANurseryHaveDistinctNames() {
    Nursery.runVoid(n -> {
      ResultCapture<String> a = n.startSoon(() -> "a");
      ResultCapture<String> b = n.startSoon(() -> "b");
      ResultCapture<String> named = n.startSoon("profile", () -> "c");
      assertNotSame(a.name(), b.name());
      assertFalse(a.name().equals(b.name()));
      assertEquals("profile", named.name());
      assertTrue(a.description().startsWith(a.name() + " ("));
    });
  }

  // ---- R8: per-task cancel ----------------------------------------------------------------------

  @Test
  void r8_cancelInterruptsThatTaskOnly() {
    AtomicReference<ResultCapture<Void>> victim = new AtomicReference<>();
    AtomicReference<ResultCapture<String>> sibling = new AtomicReference<>();
    String value =
        Nursery.run(n -> {
          CountDownLatch bothRunning = new CountDownLatch(2);
          CountDownLatch releaseSibling = new CountDownLatch(1);
          victim.set(
              n.startSoon(() -> {
                bothRunning.countDown();
                Thread.sleep(FOREVER);
              }));
          sibling.set(
              n.startSoon(() -> {
                bothRunning.countDown();
                releaseSibling.await();
                return "sibling";
              }));
          bothRunning.await();
          assertTrue(victim.get().cancel());
          victim.get().waitDone();
          assertFalse(sibling.get().isDone());
          assertFalse(sibling.get().isCancelRequested());
          assertFalse(n.isCancelled());
          releaseSibling.countDown();
          return "body";
        });
    assertEquals("body", value, "the nursery did not treat the cancel as a failure");
    assertEquals(TaskState.CANCELLED, victim.get().state());
    assertEquals(TaskState.SUCCEEDED, sibling.get().state());
    assertEquals("sibling", sibling.get().result());
  }

  @Test
  void r8_cancelledCaptureIsNotANurseryFailure() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch entered = new CountDownLatch(1);
          ResultCapture<Void> t =
              n.startSoon(() -> {
                entered.countDown();
                new CountDownLatch(1).await();
              });
          entered.await();
          t.cancel();
          return t;
        });
    assertEquals(TaskState.CANCELLED, c.state());
    assertInstanceOf(TaskCancelledException.class, c.exception());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void r8_cancelOnADoneCaptureDoesNothing() {
    ResultCapture<String> c = ResultCapture.of(() -> "v");
    c.run();
    assertFalse(c.cancel());
    assertFalse(c.isCancelRequested());
    assertEquals(TaskState.SUCCEEDED, c.state());
    assertEquals("v", c.result());
  }

  @Test
  void r8_cancelOnAFailedCaptureKeepsTheFailure() {
    IOException boom = new IOException("boom");
    ResultCapture<Object> c =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              throw boom;
            });
    c.run();
    assertFalse(c.cancel());
    assertEquals(TaskState.FAILED, c.state());
    assertSame(boom, c.exception());
  }

  @Test
  void r8_taskThatSwallowsTheInterruptAndReturnsIsRecordedAsSucceeded() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch entered = new CountDownLatch(1);
          ResultCapture<String> t =
              n.startSoon(() -> {
                entered.countDown();
                try {
                  Thread.sleep(FOREVER);
                  return "slept";
                } catch (InterruptedException swallowed) {
                  return "swallowed";
                }
              });
          entered.await();
          t.cancel();
          return t;
        });
    assertTrue(c.isCancelRequested());
    assertEquals(TaskState.SUCCEEDED, c.state());
    assertEquals("swallowed", c.result());
  }

  @Test
  void r8_cancelBeforeTheTaskBeginsMeansItNeverRuns() {
    AtomicInteger executions = new AtomicInteger();
    ResultCapture<Integer> c = ResultCapture.of(executions::incrementAndGet);
    assertTrue(c.cancel());
    assertEquals(TaskState.CANCELLED, c.state());
    assertInstanceOf(TaskCancelledException.class, c.exception());
    assertThrows(IllegalStateException.class, c::run);
    assertEquals(0, executions.get());
  }

  @Test
  void r8_isCancelRequestedReflectsCancel() {
    Nursery.runVoid(n -> {
      CountDownLatch entered = new CountDownLatch(1);
      ResultCapture<String> t =
          n.startSoon(() -> {
            entered.countDown();
            try {
              Thread.sleep(FOREVER);
              return "slept";
            } catch (InterruptedException swallowed) {
              return "interrupted";
            }
          });
      entered.await();
      assertFalse(t.isCancelRequested());
      t.cancel();
      assertTrue(t.isCancelRequested());
      t.waitDone();
      assertTrue(t.isCancelRequested());
    });
  }

  // ---- R11: string forms ------------------------------------------------------------------------

  @Test
  void r11_toStringOfAPendingCapture() {
    ResultCapture<String> c = ResultCapture.builder().name("fetch").build(() -> "v");
    assertEquals("ResultCapture[fetch, pending]", c.toString());
  }

  @Test
  void r11_toStringOfARunningCapture() {
    Nursery.runVoid(n -> {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ResultCapture<String> t =
          ResultCapture.builder()
              .name("fetch")
              .startSoon(
                  n,
                  () -> {
                    entered.countDown();
                    release.await();
                    return "v";
                  });
      entered.await();
      assertEquals("ResultCapture[fetch, running]", t.toString());
      release.countDown();
    });
  }

  @Test
  void r11_toStringOfASucceededCapture() {
    ResultCapture<Integer> c = ResultCapture.builder().name("fetch").build(() -> 42);
    c.run();
    assertEquals("ResultCapture[fetch, result=42]", c.toString());
  }

  @Test
  void r11_toStringOfAFailedCapture() {
    ResultCapture<Integer> c =
        ResultCapture.builder()
            .name("fetch")
            .suppressException()
            .build(() -> {
              throw new IOException("reset");
            });
    c.run();
    assertEquals("ResultCapture[fetch, exception=java.io.IOException: reset]", c.toString());
  }

  @Test
  void r11_toStringOfACancelledCapture() {
    ResultCapture<Integer> c = ResultCapture.builder().name("fetch").build(() -> 42);
    c.cancel();
    assertEquals(
        "ResultCapture[fetch, cancelled, exception="
            + TaskCancelledException.class.getName()
            + ": task 'fetch' was cancelled]",
        c.toString());
  }

  @Test
  void r11_verboseFormAddsTheTaskDescription() {
    ResultCapture<Integer> c = ResultCapture.builder().name("fetch").build(() -> 42);
    assertEquals(
        "ResultCapture[fetch, pending, task=lambda in " + ResultCaptureTest.class.getName() + "]",
        c.toVerboseString());
    c.run();
    assertEquals(
        "ResultCapture[fetch, result=42, task=lambda in " + ResultCaptureTest.class.getName() + "]",
        c.toVerboseString());
    assertFalse(c.toString().contains("task="));
  }

  @Test
  void r8_cancelledHandleExceptionNamesTheTaskAndKeepsItsMessageWhenSerialized() throws Exception {
    CountDownLatch sleeping = new CountDownLatch(2); // both running: cancelled, not before start
    AtomicReference<ResultCapture<Object>> unnamed = new AtomicReference<>();
    AtomicReference<ResultCapture<Object>> named = new AtomicReference<>();
    Nursery.runVoid(n -> {
      unnamed.set(
          n.startSoon(() -> {
            sleeping.countDown();
            return sleepForever();
          }));
      named.set(
          ResultCapture.builder()
              .name("fetch")
              .startSoon(
                  n,
                  () -> {
                    sleeping.countDown();
                    return sleepForever();
                  }));
      sleeping.await();
      unnamed.get().cancel();
      named.get().cancel();
    });
    TaskCancelledException e =
        assertInstanceOf(TaskCancelledException.class, unnamed.get().exception());
    assertEquals("task 'task-1' was cancelled", e.getMessage());
    assertInstanceOf(InterruptedException.class, e.getCause());
    assertTrue(e.toString().endsWith(": task 'task-1' was cancelled"), e.toString());
    TaskCancelledException fetch =
        assertInstanceOf(TaskCancelledException.class, named.get().exception());
    // Not yet asked for: serializing computes the message, and the copy carries it.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(fetch);
    }
    Object copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = in.readObject();
    }
    TaskCancelledException read = assertInstanceOf(TaskCancelledException.class, copy);
    assertEquals("task 'fetch' was cancelled", read.getMessage());
    assertEquals(fetch.getMessage(), read.getMessage());
    assertEquals("plain", new TaskCancelledException("plain", null).getMessage());
  }

  private static Object sleepForever() throws InterruptedException {
    Thread.sleep(FOREVER);
    throw new AssertionError("woke up");
  }
}
