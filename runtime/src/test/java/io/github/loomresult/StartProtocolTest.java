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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rules S1-S3 of SEMANTICS.md: Trio's {@code nursery.start} and the capture-both form. */
class StartProtocolTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  // ---- S1: start blocks until started(value) and returns the value -----------------------------

  @Test
  void s1_startReturnsTheValuePassedToStarted() {
    int port =
        Nursery.run(n -> {
          Integer p =
              n.start(status -> {
                status.started(8080);
                return "served";
              });
          return p;
        });
    assertEquals(8080, port);
  }

  @Test
  void s1_startBlocksUntilStartedIsCalled() {
    Thread body = Thread.currentThread();
    AtomicBoolean startReturned = new AtomicBoolean();
    AtomicReference<Boolean> returnedBeforeStarted = new AtomicReference<>();
    Nursery.runVoid(n -> {
      CountDownLatch mayStart = new CountDownLatch(1);
      n.startSoon(() -> {
        awaitBlocked(body); // parked in start() below, or already past it if start did not block
        mayStart.countDown();
      });
      Integer value =
          n.start(status -> {
            mayStart.await();
            returnedBeforeStarted.set(startReturned.get());
            status.started(7);
            return null;
          });
      startReturned.set(true);
      assertEquals(7, value);
    });
    assertFalse(returnedBeforeStarted.get());
  }

  @Test
  void s1_taskKeepsRunningInTheNurseryAfterStartReturns() {
    AtomicBoolean taskEnded = new AtomicBoolean();
    AtomicReference<Boolean> endedWhenStartReturned = new AtomicReference<>();
    Nursery.runVoid(n -> {
      CountDownLatch finish = new CountDownLatch(1);
      n.start(status -> {
        status.started();
        finish.await();
        taskEnded.set(true);
        return null;
      });
      endedWhenStartReturned.set(taskEnded.get());
      finish.countDown();
    });
    assertFalse(endedWhenStartReturned.get());
    assertTrue(taskEnded.get(), "the nursery waited for the started task");
  }

  @Test
  void s1_startInACancelledNurseryIsReportedInsteadOfWaitingForever() {
    AtomicInteger executions = new AtomicInteger();
    Nursery.runVoid(n -> {
      n.cancel();
      assertThrows(
          TaskCancelledException.class,
          () ->
              n.start(status -> {
                executions.incrementAndGet();
                status.started();
                return null;
              }));
    });
    assertEquals(0, executions.get());
  }

  // ---- S2: failures before started go to the caller of start -----------------------------------

  @Test
  void s2_failureBeforeStartedIsThrownFromStartNotIntoTheNursery() {
    IOException boom = new IOException("bind failed");
    AtomicReference<ResultCapture<String>> sibling = new AtomicReference<>();
    String value =
        Nursery.run(n -> {
          CountDownLatch release = new CountDownLatch(1);
          sibling.set(
              n.startSoon(() -> {
                release.await();
                return "sibling";
              }));
          TaskFailedException e =
              assertThrows(
                  TaskFailedException.class,
                  () ->
                      n.start(status -> {
                        throw boom;
                      }));
          assertSame(boom, e.getCause());
          assertFalse(n.isCancelled());
          assertFalse(sibling.get().isCancelRequested());
          release.countDown();
          return "body";
        });
    assertEquals("body", value);
    assertEquals("sibling", sibling.get().result());
  }

  @Test
  void s2_errorBeforeStartedIsThrownFromStartToo() {
    AssertionError error = new AssertionError("broken");
    String value =
        Nursery.run(n -> {
          TaskFailedException e =
              assertThrows(
                  TaskFailedException.class,
                  () ->
                      n.start(status -> {
                        throw error;
                      }));
          assertSame(error, e.getCause());
          return "body";
        });
    assertEquals("body", value);
  }

  @Test
  void s2_returnWithoutStartedIsReportedByStart() {
    String value =
        Nursery.run(n -> {
          assertThrows(IllegalStateException.class, () -> n.start(status -> "returned early"));
          assertFalse(n.isCancelled());
          return "body";
        });
    assertEquals("body", value);
  }

  @Test
  void s2_startedTwiceIsIllegalState() {
    AtomicReference<Throwable> second = new AtomicReference<>();
    int value =
        Nursery.run(n -> {
          Integer v =
              n.start(status -> {
                status.started(1);
                try {
                  status.started(2);
                } catch (IllegalStateException e) {
                  second.set(e);
                }
                return null;
              });
          return v;
        });
    assertEquals(1, value);
    assertInstanceOf(IllegalStateException.class, second.get());
  }

  @Test
  void s2_failureAfterStartedPropagatesIntoTheNursery() {
    IOException boom = new IOException("connection lost");
    AtomicReference<Integer> startValue = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  CountDownLatch startReturned = new CountDownLatch(1);
                  startValue.set(
                      n.start(status -> {
                        status.started(5);
                        startReturned.await(); // fail only once start() has handed over 5
                        throw boom;
                      }));
                  startReturned.countDown();
                }));
    assertEquals(5, startValue.get());
    assertSame(boom, e.getCause());
  }

  // ---- S3: the capture-both form ---------------------------------------------------------------

  @Test
  void s3_bothCapturesHoldTheirValuesOnSuccess() {
    AtomicReference<StartAndDone<Integer, String>> pair = new AtomicReference<>();
    Nursery.runVoid(n -> {
      CountDownLatch release = new CountDownLatch(1);
      pair.set(
          ResultCapture.captureStartAndDone(
              n,
              status -> {
                status.started(8080);
                release.await();
                return "served";
              }));
      pair.get().start().waitDone();
      assertEquals(8080, pair.get().start().result());
      assertFalse(pair.get().done().isDone());
      release.countDown();
    });
    assertEquals(8080, pair.get().start().result());
    assertEquals("served", pair.get().done().result());
  }

  @Test
  void s3_startNurseryWaitsForTheStartAndRunNurseryForTheTask() {
    AtomicReference<StartAndDone<String, String>> pair = new AtomicReference<>();
    Nursery.runVoid(runNursery -> {
      CountDownLatch release = new CountDownLatch(1);
      pair.set(
          Nursery.run(startNursery ->
              ResultCapture.captureStartAndDone(
                  startNursery,
                  runNursery,
                  status -> {
                    status.started("ready");
                    release.await();
                    return "finished";
                  })));
      assertEquals("ready", pair.get().start().result());
      assertFalse(pair.get().done().isDone());
      release.countDown();
    });
    assertEquals("finished", pair.get().done().result());
  }

  @Test
  void s3_failureBeforeStartedEndsBothCapturesWithTheOriginalException() {
    IOException boom = new IOException("bind failed");
    AtomicReference<StartAndDone<Integer, String>> pair = new AtomicReference<>();
    String value =
        Nursery.run(runNursery -> {
          NurseryFailedException e =
              assertThrows(
                  NurseryFailedException.class,
                  () ->
                      Nursery.runVoid(startNursery ->
                          pair.set(
                              ResultCapture.<Integer, String>captureStartAndDone(
                                  startNursery,
                                  runNursery,
                                  status -> {
                                    throw boom;
                                  }))));
          assertSame(boom, e.getCause());
          assertFalse(runNursery.isCancelled());
          return "run nursery unaffected";
        });
    assertEquals("run nursery unaffected", value);
    assertEquals(TaskState.FAILED, pair.get().start().state());
    assertEquals(TaskState.FAILED, pair.get().done().state());
    assertSame(boom, pair.get().start().exception());
    assertSame(boom, pair.get().done().exception());
  }

  @Test
  void s3_returnWithoutStartedFailsTheStartCaptureAndKeepsTheDoneValue() {
    AtomicReference<StartAndDone<Integer, String>> pair = new AtomicReference<>();
    Nursery.runVoid(runNursery -> {
      NurseryFailedException e =
          assertThrows(
              NurseryFailedException.class,
              () ->
                  Nursery.runVoid(startNursery ->
                      pair.set(
                          ResultCapture.<Integer, String>captureStartAndDone(
                              startNursery, runNursery, status -> "returned early"))));
      assertInstanceOf(IllegalStateException.class, e.getCause());
    });
    assertInstanceOf(IllegalStateException.class, pair.get().start().exception());
    assertEquals(TaskState.SUCCEEDED, pair.get().done().state());
    assertEquals("returned early", pair.get().done().result());
  }

  @Test
  void s3_bothCapturesEndDoneWhenRunNurseryIsClosed() {
    AtomicReference<Nursery> closed = new AtomicReference<>();
    Nursery.runVoid(closed::set);
    AtomicInteger executions = new AtomicInteger();
    AtomicReference<StartAndDone<Integer, String>> pair = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(startNursery ->
                    pair.set(
                        ResultCapture.captureStartAndDone(
                            startNursery,
                            closed.get(),
                            status -> {
                              executions.incrementAndGet();
                              status.started(1);
                              return "never";
                            }))));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(pair.get().start().isDone());
    assertTrue(pair.get().done().isDone());
    assertInstanceOf(IllegalStateException.class, pair.get().start().exception());
    assertInstanceOf(IllegalStateException.class, pair.get().done().exception());
    assertSame(
        pair.get().start().exception(),
        pair.get().done().exception(),
        "both captures hold the very exception that refused the start");
    assertEquals(0, executions.get());
  }

  @Test
  void s3_bothCapturesEndDoneWhenStartNurseryIsCancelledBeforeTheStartRuns() {
    AtomicInteger executions = new AtomicInteger();
    AtomicReference<StartAndDone<Integer, String>> pair = new AtomicReference<>();
    Nursery.runVoid(runNursery ->
        Nursery.runVoid(startNursery -> {
          startNursery.cancel();
          pair.set(
              ResultCapture.captureStartAndDone(
                  startNursery,
                  runNursery,
                  status -> {
                    executions.incrementAndGet();
                    status.started(1);
                    return "never";
                  }));
        }));
    assertTrue(pair.get().start().isDone(), "start capture done");
    assertTrue(pair.get().done().isDone(), "done capture done");
    assertEquals(TaskState.CANCELLED, pair.get().start().state());
    assertEquals(TaskState.CANCELLED, pair.get().done().state());
    assertEquals(0, executions.get());
  }

  @Test
  void s3_bothCapturesEndDoneWhenTheStartCaptureIsCancelled() {
    // Whether the cancel reaches the start capture before it runs, while it launches the task or
    // while it waits for started(), both captures must end done.
    AtomicReference<StartAndDone<Integer, String>> pair = new AtomicReference<>();
    Nursery.runVoid(n -> {
      pair.set(
          ResultCapture.captureStartAndDone(
              n,
              status -> {
                Thread.sleep(FOREVER);
                status.started(1);
                return "never";
              }));
      pair.get().start().cancel();
    });
    assertEquals(TaskState.CANCELLED, pair.get().start().state());
    assertEquals(TaskState.CANCELLED, pair.get().done().state());
  }

  @Test
  void s3_closedStartNurseryIsRefused() {
    AtomicReference<Nursery> closed = new AtomicReference<>();
    Nursery.runVoid(closed::set);
    AtomicInteger executions = new AtomicInteger();
    assertThrows(
        IllegalStateException.class,
        () ->
            ResultCapture.captureStartAndDone(
                closed.get(),
                status -> {
                  executions.incrementAndGet();
                  status.started();
                  return null;
                }));
    assertEquals(0, executions.get());
  }
}
