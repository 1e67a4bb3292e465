package io.github.loomresult;

import static io.github.loomresult.BlockedThreads.FOREVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The behaviours of aioresult's own test suite ({@code tests/test_all.py}), ported to loomresult.
 * Where aioresult orders its tasks with sleeps of different lengths, these use latches; where
 * loomresult deliberately differs (a second {@code run()} is refused before the task runs), the
 * test checks loomresult's rule.
 */
class AioresultPortTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /** aioresult's {@code AioresultTestException}: carries the number of the task that threw. */
  static final class PortTestException extends Exception {
    private static final long serialVersionUID = 1L;

    final int task;

    PortTestException(int task) {
      super("task " + task);
      this.task = task;
    }
  }

  private record Four(
      ResultCapture<Integer> manual,
      ResultCapture<Integer> completes,
      ResultCapture<Integer> raises,
      ResultCapture<Integer> cancelled) {}

  /**
   * test_resultcapture: a capture run by hand, one that completes, one that raises and one still
   * running when the failure cancels the nursery.
   */
  private static Four runFourTasks(AtomicInteger manualExecutions) {
    AtomicReference<Four> four = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  CountDownLatch releaseTwo = new CountDownLatch(1);
                  CountDownLatch releaseThree = new CountDownLatch(1);
                  CountDownLatch fourRunning = new CountDownLatch(1);
                  ResultCapture<Integer> r1 =
                      ResultCapture.of(() -> {
                        manualExecutions.incrementAndGet();
                        return 1;
                      });
                  ResultCapture<Integer> r2 =
                      ResultCapture.startSoon(
                          n,
                          () -> {
                            releaseTwo.await();
                            return 2;
                          });
                  ResultCapture<Integer> r3 =
                      ResultCapture.startSoon(
                          n,
                          () -> {
                            releaseThree.await();
                            throw new PortTestException(3);
                          });
                  ResultCapture<Integer> r4 =
                      ResultCapture.startSoon(
                          n,
                          () -> {
                            fourRunning.countDown();
                            Thread.sleep(FOREVER);
                            return 4;
                          });
                  four.set(new Four(r1, r2, r3, r4));

                  assertFalse(r1.isDone() || r2.isDone() || r3.isDone() || r4.isDone());
                  assertThrows(TaskNotDoneException.class, r1::result);
                  assertThrows(TaskNotDoneException.class, r1::exception);

                  r1.run();
                  assertTrue(r1.isDone());
                  assertFalse(r2.isDone() || r3.isDone() || r4.isDone());

                  releaseTwo.countDown();
                  r2.waitDone();
                  assertEquals(2, r2.result());

                  fourRunning.await();
                  releaseThree.countDown(); // the failure, which cancels task 4 and this body
                  Thread.sleep(FOREVER);
                }));
    assertSame(four.get().raises().exception(), e.getCause());
    return four.get();
  }

  @Test
  void resultsAreNotReadableBeforeDoneAndReadableAfter() {
    Four four = runFourTasks(new AtomicInteger());
    assertTrue(four.manual().isDone());
    assertEquals(1, four.manual().result());
    assertNull(four.manual().exception());
    assertTrue(four.completes().isDone());
    assertEquals(2, four.completes().result());
    assertNull(four.completes().exception());
  }

  @Test
  void failureIsWrappedAndTheCauseIsTheOriginalException() {
    ResultCapture<Integer> r3 = runFourTasks(new AtomicInteger()).raises();
    assertTrue(r3.isDone());
    TaskFailedException e = assertThrows(TaskFailedException.class, r3::result);
    assertSame(r3, e.handle());
    PortTestException cause = assertInstanceOf(PortTestException.class, e.getCause());
    assertEquals(3, cause.task);
    assertSame(r3.exception(), cause);
  }

  @Test
  void siblingStillRunningIsCancelledWhenOneTaskFails() {
    ResultCapture<Integer> r4 = runFourTasks(new AtomicInteger()).cancelled();
    assertTrue(r4.isDone());
    assertEquals(TaskState.CANCELLED, r4.state());
    TaskFailedException e = assertThrows(TaskFailedException.class, r4::result);
    assertSame(r4, e.handle());
    assertInstanceOf(TaskCancelledException.class, e.getCause());
    assertSame(r4.exception(), e.getCause());
  }

  @Test
  void secondRunIsRefusedBeforeTheTaskRunsAgain() {
    AtomicInteger executions = new AtomicInteger();
    Four four = runFourTasks(executions);
    assertEquals(1, executions.get());
    assertThrows(IllegalStateException.class, four.manual()::run);
    assertThrows(IllegalStateException.class, four.raises()::run);
    assertEquals(1, executions.get(), "aioresult would have run the routine a second time");
    assertEquals(1, four.manual().result());
  }

  @Test
  void suppressExceptionKeepsSiblingsAlive() {
    AtomicReference<ResultCapture<Integer>> r1 = new AtomicReference<>();
    AtomicReference<ResultCapture<Integer>> r2 = new AtomicReference<>();
    AtomicReference<ResultCapture<Integer>> r3 = new AtomicReference<>();
    Nursery.runVoid(n -> {
      CountDownLatch failed = new CountDownLatch(1);
      r1.set(
          ResultCapture.builder()
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    failed.await();
                    return 1;
                  }));
      r2.set(
          ResultCapture.builder()
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    try {
                      throw new PortTestException(2);
                    } finally {
                      failed.countDown();
                    }
                  }));
      r3.set(
          ResultCapture.builder()
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    failed.await();
                    return 3;
                  }));
    });
    assertTrue(r1.get().isDone());
    assertNull(r1.get().exception());
    assertEquals(1, r1.get().result());
    assertTrue(r2.get().isDone());
    assertInstanceOf(PortTestException.class, r2.get().exception());
    assertTrue(r3.get().isDone());
    assertNull(r3.get().exception());
    assertEquals(3, r3.get().result());
  }

  @Test
  void futureSetTwiceKeepsTheFirstValue() {
    Future<Integer> fr = new Future<>();
    Future<Integer> fx = new Future<>();
    Nursery.runVoid(n -> {
      CountDownLatch release = new CountDownLatch(1);
      n.startSoon(() -> {
        release.await();
        fr.setResult(1);
      });
      n.startSoon(() -> {
        release.await();
        fx.setException(new PortTestException(2));
      });
      assertFalse(fr.isDone());
      assertThrows(TaskNotDoneException.class, fr::result);
      assertThrows(TaskNotDoneException.class, fr::exception);
      assertFalse(fx.isDone());
      assertThrows(TaskNotDoneException.class, fx::result);
      assertThrows(TaskNotDoneException.class, fx::exception);
      release.countDown();
    });

    assertEquals(1, fr.result());
    assertThrows(FutureSetAgainException.class, () -> fr.setResult(10));
    assertThrows(FutureSetAgainException.class, () -> fr.setException(new EOFException("foo")));
    assertTrue(fr.isDone());
    assertEquals(1, fr.result());
    assertNull(fr.exception());

    assertInstanceOf(PortTestException.class, fx.exception());
    assertThrows(TaskFailedException.class, fx::result);
    assertThrows(FutureSetAgainException.class, () -> fx.setResult(10));
    assertThrows(FutureSetAgainException.class, () -> fx.setException(new EOFException("foo")));
    assertTrue(fx.isDone());
    assertEquals(2, ((PortTestException) fx.exception()).task);
    assertThrows(TaskFailedException.class, fx::result);
  }

  // ---- the start protocol (test_startable_*) ----------------------------------------------------

  @Test
  void startableSuccess() {
    AtomicReference<StartAndDone<Double, Integer>> two = new AtomicReference<>();
    AtomicReference<StartAndDone<Double, Integer>> three = new AtomicReference<>();
    Nursery.runVoid(runNursery -> {
      CountDownLatch finish = new CountDownLatch(1);
      Nursery.runVoid(startNursery -> {
        CountDownLatch startTwo = new CountDownLatch(1);
        CountDownLatch startThree = new CountDownLatch(1);
        two.set(
            ResultCapture.captureStartAndDone(
                startNursery,
                runNursery,
                status -> {
                  startTwo.await();
                  status.started(1.0);
                  finish.await();
                  return 2;
                }));
        three.set(
            ResultCapture.captureStartAndDone(
                startNursery,
                runNursery,
                status -> {
                  startThree.await();
                  status.started(1.5);
                  finish.await();
                  return 3;
                }));
        assertFalse(two.get().start().isDone() || two.get().done().isDone());
        assertFalse(three.get().start().isDone() || three.get().done().isDone());

        double one =
            runNursery.start(status -> {
              status.started(0.5);
              finish.await();
              return 1;
            });
        assertEquals(0.5, one);
        assertFalse(two.get().start().isDone() || three.get().start().isDone());

        startTwo.countDown();
        two.get().start().waitDone();
        assertEquals(1.0, two.get().start().result());
        assertFalse(three.get().start().isDone());
        startThree.countDown();
      });
      assertEquals(1.5, three.get().start().result());
      assertFalse(two.get().done().isDone() || three.get().done().isDone());
      finish.countDown();
    });
    assertEquals(2, two.get().done().result());
    assertEquals(3, three.get().done().result());
  }

  @Test
  void startableFailureBeforeStarted() {
    AtomicReference<StartAndDone<Double, Integer>> two = new AtomicReference<>();
    AtomicReference<StartAndDone<Double, Integer>> three = new AtomicReference<>();
    AtomicReference<ResultCapture<Double>> four = new AtomicReference<>();
    Nursery.runVoid(runNursery -> {
      NurseryFailedException e =
          assertThrows(
              NurseryFailedException.class,
              () ->
                  Nursery.runVoid(startNursery -> {
                    CountDownLatch twoStarted = new CountDownLatch(1);
                    two.set(
                        ResultCapture.captureStartAndDone(
                            startNursery,
                            runNursery,
                            status -> {
                              status.started(1.0);
                              twoStarted.countDown();
                              return 2;
                            }));
                    twoStarted.await();
                    two.get().done().waitDone();
                    CountDownLatch fourStarting = new CountDownLatch(1);
                    // Task 4 starts in the start nursery; task 3's failure cancels it there.
                    four.set(
                        startNursery.startSoon(() ->
                            runNursery.start(status -> {
                              fourStarting.countDown();
                              Thread.sleep(FOREVER);
                              status.started(2.0);
                              return 4;
                            })));
                    fourStarting.await();
                    three.set(
                        ResultCapture.captureStartAndDone(
                            startNursery,
                            runNursery,
                            status -> {
                              throw new PortTestException(3);
                            }));
                    Thread.sleep(FOREVER);
                  }));
      assertInstanceOf(PortTestException.class, e.getCause());
    });
    assertNull(two.get().start().exception());
    assertNull(two.get().done().exception());
    assertInstanceOf(PortTestException.class, three.get().start().exception());
    assertInstanceOf(PortTestException.class, three.get().done().exception());
    assertEquals(TaskState.CANCELLED, four.get().state());
    assertInstanceOf(TaskCancelledException.class, four.get().exception());
  }

  @Test
  void startableReturnWithoutStarted() {
    AtomicReference<StartAndDone<Double, Integer>> pair = new AtomicReference<>();
    Nursery.runVoid(runNursery -> {
      NurseryFailedException e =
          assertThrows(
              NurseryFailedException.class,
              () ->
                  Nursery.runVoid(startNursery ->
                      pair.set(
                          ResultCapture.<Double, Integer>captureStartAndDone(
                              startNursery, runNursery, status -> 1))));
      assertInstanceOf(IllegalStateException.class, e.getCause());
    });
    assertInstanceOf(IllegalStateException.class, pair.get().start().exception());
    assertNull(pair.get().done().exception());
    assertEquals(1, pair.get().done().result());
  }

  @Test
  void startedTwiceIsIllegalState() {
    AtomicReference<Throwable> second = new AtomicReference<>();
    double value =
        Nursery.run(n -> {
          Double v =
              n.start(status -> {
                status.started(0.5);
                try {
                  status.started(0.75);
                } catch (IllegalStateException e) {
                  second.set(e);
                }
                return 1;
              });
          return v;
        });
    assertEquals(0.5, value);
    assertInstanceOf(IllegalStateException.class, second.get());
  }

  // ---- string forms (aioresult's repr / format) -------------------------------------------------

  @Test
  void stringFormOfAPendingCapture() {
    assertEquals(
        "ResultCapture[job, pending]",
        ResultCapture.builder().name("job").build(() -> 1).toString());
  }

  @Test
  void stringFormOfARunningCapture() {
    Nursery.runVoid(n -> {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ResultCapture<Integer> c =
          n.startSoon(
              "job",
              () -> {
                entered.countDown();
                release.await();
                return 1;
              });
      entered.await();
      assertEquals("ResultCapture[job, running]", c.toString());
      release.countDown();
    });
  }

  @Test
  void stringFormOfAResult() {
    ResultCapture<Integer> c = ResultCapture.builder().name("job").build(() -> 1);
    c.run();
    assertEquals("ResultCapture[job, result=1]", c.toString());
    Future<String> f = new Future<>();
    f.setResult("x");
    assertEquals("Future[result=x]", f.toString());
  }

  @Test
  void stringFormOfAnException() {
    ResultCapture<Integer> c =
        ResultCapture.builder()
            .name("job")
            .suppressException()
            .build(() -> {
              throw new PortTestException(3);
            });
    c.run();
    assertEquals(
        "ResultCapture[job, exception=" + PortTestException.class.getName() + ": task 3]",
        c.toString());
    Future<String> f = new Future<>();
    f.setException(new EOFException("foo"));
    assertEquals("Future[exception=java.io.EOFException: foo]", f.toString());
  }

  @Test
  void stringFormOfACancelledCapture() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch entered = new CountDownLatch(1);
          ResultCapture<Void> t =
              n.startSoon(
                  "job",
                  () -> {
                    entered.countDown();
                    Thread.sleep(FOREVER);
                  });
          entered.await();
          t.cancel();
          return t;
        });
    assertEquals(
        "ResultCapture[job, cancelled, exception="
            + TaskCancelledException.class.getName()
            + ": task 'job' was cancelled]",
        c.toString());
  }

  @Test
  void verboseStringFormIncludesTheTaskDescription() {
    ResultCapture<Integer> c = ResultCapture.builder().name("job").build(() -> 1);
    assertEquals("job (lambda in " + AioresultPortTest.class.getName() + ")", c.description());
    assertEquals(
        "ResultCapture[job, pending, task=lambda in " + AioresultPortTest.class.getName() + "]",
        c.toVerboseString());
  }
}
