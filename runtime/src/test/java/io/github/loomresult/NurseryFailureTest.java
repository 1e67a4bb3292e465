package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How failures leave a nursery: a failure cancels everything (N4), is reported whole and typed
 * (N5), and an interrupt from outside is never swallowed (N6).
 */
@Timeout(10)
class NurseryFailureTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  // ---- N4: the first failure cancels the siblings and the body ----

  @Test
  void n4_failingChildCancelsSiblingsAndBody() {
    IOException boom = new IOException("boom");
    CountDownLatch siblingsBlocked = new CountDownLatch(3);
    AtomicBoolean bodyInterrupted = new AtomicBoolean();
    List<ResultCapture<Void>> siblings = new ArrayList<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  for (int i = 0; i < 3; i++) {
                    siblings.add(
                        n.startSoon(() -> {
                          siblingsBlocked.countDown();
                          Thread.sleep(Duration.ofDays(1));
                        }));
                  }
                  siblingsBlocked.await();
                  n.startSoon(() -> {
                    throw boom;
                  });
                  try {
                    new CountDownLatch(1).await();
                  } catch (InterruptedException interrupted) {
                    bodyInterrupted.set(true);
                    throw interrupted;
                  }
                }));
    assertSame(boom, e.getCause());
    assertTrue(bodyInterrupted.get(), "the body was not interrupted");
    for (ResultCapture<Void> s : siblings) {
      assertEquals(TaskState.CANCELLED, s.state());
      assertInstanceOf(TaskCancelledException.class, s.exception());
      assertInstanceOf(InterruptedException.class, s.exception().getCause());
    }
  }

  @Test
  void n4_failingChildInterruptsABodyThatIsBusyWaiting() {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicReference<Thread> bodyThread = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  bodyThread.set(Thread.currentThread());
                  n.startSoon(() -> {
                    throw boom;
                  });
                  // No blocking call: the body sees the interrupt only through the flag.
                  while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                  }
                }));
    assertSame(boom, e.getCause());
    assertSame(Thread.currentThread(), bodyThread.get());
    assertFalse(Thread.currentThread().isInterrupted(), "the nursery's own interrupt leaked");
  }

  @Test
  void n4_bodyFailureCancelsTheChildren() {
    IllegalArgumentException boom = new IllegalArgumentException("body failed");
    CountDownLatch started = new CountDownLatch(2);
    AtomicReference<ResultCapture<Void>> a = new AtomicReference<>();
    AtomicReference<ResultCapture<Void>> b = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  a.set(
                      n.startSoon(() -> {
                        started.countDown();
                        Thread.sleep(Duration.ofDays(1));
                      }));
                  b.set(
                      n.startSoon(() -> {
                        started.countDown();
                        new CountDownLatch(1).await();
                      }));
                  started.await();
                  throw boom;
                }));
    assertSame(boom, e.getCause());
    assertEquals(List.of(boom), e.failures());
    assertEquals(TaskState.CANCELLED, a.get().state());
    assertEquals(TaskState.CANCELLED, b.get().state());
  }

  @Test
  void n4_interruptsCausedByTheNurseryAreAbsorbed() {
    RuntimeException boom = new RuntimeException("boom");
    CountDownLatch started = new CountDownLatch(1);
    assertThrows(
        NurseryFailedException.class,
        () ->
            Nursery.runVoid(n -> {
              n.startSoon(() -> {
                started.countDown();
                Thread.sleep(Duration.ofDays(1));
              });
              started.await();
              n.startSoon(() -> {
                throw boom;
              });
              Thread.sleep(Duration.ofDays(1));
            }));
    assertFalse(Thread.interrupted(), "the caller was left interrupted by the nursery");
    // And the caller can block normally afterwards.
    assertEquals("after", Nursery.run(n -> "after"));
  }

  @Test
  void n4_taskStartedAfterTheFailureIsCancelledBeforeItRuns() {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicBoolean lateTaskRan = new AtomicBoolean();
    AtomicReference<ResultCapture<Void>> late = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  n.startSoon(() -> {
                    throw boom;
                  });
                  try {
                    new CountDownLatch(1).await();
                  } catch (InterruptedException cancelled) {
                    late.set(n.startSoon(() -> lateTaskRan.set(true)));
                    throw cancelled;
                  }
                }));
    assertSame(boom, e.getCause());
    assertFalse(lateTaskRan.get(), "a task started into a failed nursery ran");
    assertEquals(TaskState.CANCELLED, late.get().state());
  }

  @Test
  void n4_failureCancelsTasksOfNestedNurseriesAndAbsorbsTheirCancellation() {
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch grandchildBlocked = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> grandchild = new AtomicReference<>();
    AtomicReference<Throwable> innerOutcome = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(outer -> {
                  outer.startSoon(() -> {
                    try {
                      Nursery.runVoid(inner ->
                          grandchild.set(
                              inner.startSoon(() -> {
                                grandchildBlocked.countDown();
                                Thread.sleep(Duration.ofDays(1));
                              })));
                    } catch (RuntimeException cancelled) {
                      innerOutcome.set(cancelled);
                      throw cancelled;
                    }
                  });
                  grandchildBlocked.await();
                  outer.startSoon(() -> {
                    throw boom;
                  });
                }));
    assertSame(boom, e.getCause());
    assertEquals(List.of(boom), e.failures(), "the inner nursery's cancellation was reported");
    assertEquals(TaskState.CANCELLED, grandchild.get().state());
    assertInstanceOf(TaskCancelledException.class, innerOutcome.get());
  }

  @Test
  void n4_errorInAChildFailsTheNurseryToo() {
    StackOverflowError error = new StackOverflowError("deep");
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> sibling = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  sibling.set(
                      n.startSoon(() -> {
                        started.countDown();
                        Thread.sleep(Duration.ofDays(1));
                      }));
                  started.await();
                  n.startSoon(() -> {
                    throw error;
                  });
                }));
    assertSame(error, e.getCause());
    assertEquals(TaskState.CANCELLED, sibling.get().state());
  }

  @Test
  void n4_suppressedFailureDoesNotCancelTheNursery() {
    IOException kept = new IOException("kept in the capture");
    String value =
        Nursery.run(n -> {
          var quiet =
              ResultCapture.builder()
                  .suppressException()
                  .startSoon(
                      n,
                      () -> {
                        throw kept;
                      });
          quiet.waitDone();
          var sibling = n.startSoon(() -> "sibling ran");
          sibling.waitDone();
          assertFalse(n.isCancelled());
          assertSame(kept, quiet.exception());
          return sibling.result();
        });
    assertEquals("sibling ran", value);
  }

  // ---- N5: reporting: first primary, others attached, cancellation not listed ----

  @Test
  void n5_firstFailureIsPrimaryByIdentityAndLaterOnesAreSuppressed() {
    IOException first = new IOException("first");
    IllegalStateException second = new IllegalStateException("cleanup failed too");
    CountDownLatch cleanupBlocked = new CountDownLatch(1);
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  n.startSoon(() -> {
                    try {
                      cleanupBlocked.countDown();
                      Thread.sleep(Duration.ofDays(1));
                    } catch (InterruptedException cancelled) {
                      throw second; // a real failure of its own, after the first one
                    }
                  });
                  cleanupBlocked.await();
                  n.startSoon(() -> {
                    throw first;
                  });
                }));
    assertSame(first, e.getCause());
    assertEquals(List.of(first, second), e.failures());
    assertArrayEquals(new Throwable[] {second}, e.getSuppressed());
    assertTrue(e.getMessage().contains("first"), e.getMessage());
  }

  @Test
  void n5_simultaneousFailuresAreAllReported() throws Exception {
    CyclicBarrier together = new CyclicBarrier(3);
    IOException a = new IOException("a");
    IOException b = new IOException("b");
    IOException c = new IOException("c");
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  for (IOException failure : List.of(a, b, c)) {
                    n.startSoon(() -> {
                      together.await();
                      throw failure;
                    });
                  }
                }));
    assertEquals(3, e.failures().size());
    assertEquals(Set.of(a, b, c), Set.copyOf(e.failures()));
    assertSame(e.failures().get(0), e.getCause());
    assertEquals(Set.copyOf(e.failures().subList(1, 3)), Set.of((Object[]) e.getSuppressed()));
  }

  @Test
  void n5_cancellationExceptionsOfSiblingsAreNotListed() {
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch blocked = new CountDownLatch(4);
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  n.startSoon(() -> {
                    blocked.countDown();
                    Thread.sleep(Duration.ofDays(1)); // ends with InterruptedException
                  });
                  n.startSoon(() -> {
                    blocked.countDown();
                    try {
                      new CountDownLatch(1).await();
                    } catch (InterruptedException ie) {
                      throw new RuntimeException("wrapped", ie);
                    }
                  });
                  n.startSoon(() -> {
                    blocked.countDown();
                    try {
                      new CountDownLatch(1).await();
                    } catch (InterruptedException ie) {
                      throw new InterruptedIOException("as I/O");
                    }
                  });
                  n.startSoon(() -> {
                    blocked.countDown();
                    while (true) {
                      Cancellation.throwIfCancelled();
                      Thread.onSpinWait();
                    }
                  });
                  blocked.await();
                  n.startSoon(() -> {
                    throw boom;
                  });
                  new CountDownLatch(1).await(); // the body ends interrupted too
                }));
    assertEquals(List.of(boom), e.failures());
    assertEquals(0, e.getSuppressed().length);
  }

  @Test
  void n5_checkedExceptionIsReachableTypedThroughRethrowIf() {
    IOException io = new IOException("disk");
    IOException thrown =
        assertThrows(
            IOException.class,
            () -> {
              try {
                Nursery.runVoid(n ->
                    n.startSoon(() -> {
                      throw io;
                    }));
              } catch (NurseryFailedException e) {
                throw e.rethrowIf(IOException.class);
              }
            });
    assertSame(io, thrown);
  }

  @Test
  void n5_rethrowIfOfAnotherTypeReturnsTheWrapper() {
    IOException io = new IOException("disk");
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n ->
                    n.startSoon(() -> {
                      throw io;
                    })));
    assertSame(
        e, assertDoesNotThrow(() -> e.rethrowIf(java.util.concurrent.TimeoutException.class)));
    assertSame(e, assertDoesNotThrow(() -> e.rethrowIf(RuntimeException.class)));
  }

  @Test
  void n5_uncheckedFailuresAreWrappedByTheSameRule() {
    IllegalArgumentException fromBody = new IllegalArgumentException("body");
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  throw fromBody;
                }));
    assertSame(fromBody, e.getCause());
    IllegalArgumentException rethrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              throw e.rethrowIf(IllegalArgumentException.class);
            });
    assertSame(fromBody, rethrown);
  }

  // ---- N6: an interrupt from outside is never swallowed ----

  @Test
  void n6_externalInterruptOfCallerWhileTheNurseryWaitsIsNotSwallowed() throws Exception {
    Thread caller = Thread.currentThread();
    CountDownLatch childBlocked = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> child = new AtomicReference<>();
    Thread interrupter =
        Thread.ofPlatform()
            .start(() -> {
              try {
                childBlocked.await();
              } catch (InterruptedException e) {
                return;
              }
              BlockedThreads.awaitBlocked(caller); // waiting for the child in run
              caller.interrupt();
            });
    TaskCancelledException e =
        assertThrows(
            TaskCancelledException.class,
            () ->
                Nursery.runVoid(n ->
                    child.set(
                        n.startSoon(() -> {
                          childBlocked.countDown();
                          Thread.sleep(Duration.ofDays(1));
                        }))));
    assertTrue(Thread.interrupted(), "the external interrupt was swallowed");
    interrupter.join();
    assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
    assertEquals(TaskState.CANCELLED, child.get().state());
  }

  @Test
  void n6_externalInterruptWhileTheBodyRunsIsNotSwallowed() throws Exception {
    Thread caller = Thread.currentThread();
    CountDownLatch ready = new CountDownLatch(2);
    AtomicReference<ResultCapture<Void>> child = new AtomicReference<>();
    Thread interrupter =
        Thread.ofPlatform()
            .start(() -> {
              try {
                ready.await();
              } catch (InterruptedException e) {
                return;
              }
              BlockedThreads.awaitBlocked(caller); // the body is blocked below
              caller.interrupt();
            });
    TaskCancelledException e =
        assertThrows(
            TaskCancelledException.class,
            () ->
                Nursery.runVoid(n -> {
                  child.set(
                      n.startSoon(() -> {
                        ready.countDown();
                        Thread.sleep(Duration.ofDays(1));
                      }));
                  ready.countDown();
                  new CountDownLatch(1).await(); // interrupted from outside
                }));
    boolean interrupted = Thread.interrupted();
    interrupter.join();
    assertTrue(interrupted, "the interrupt status was not set again");
    assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
    assertEquals(TaskState.CANCELLED, child.get().state());
  }

  @Test
  void n6_interruptStatusSetDuringTheBodySurvivesRun() {
    String value =
        Nursery.run(n -> {
          var done = n.startSoon(() -> "child");
          done.waitDone();
          Thread.currentThread().interrupt(); // as if someone else interrupted us just now
          return done.result();
        });
    assertTrue(Thread.interrupted(), "run cleared an interrupt it did not cause");
    assertEquals("child", value);
  }

  @Test
  void n6_callerInterruptedBeforeRunStaysInterrupted() {
    Thread.currentThread().interrupt();
    TaskCancelledException e =
        assertThrows(
            TaskCancelledException.class,
            () -> Nursery.runVoid(n -> n.startSoon(() -> Thread.sleep(Duration.ofDays(1)))));
    assertTrue(Thread.interrupted(), "the pending interrupt was swallowed");
    assertNotNull(e.getMessage());
  }

  @Test
  void n6_cancellationByTheEnclosingNurseryIsNotAnExternalInterrupt() {
    CountDownLatch innerBlocked = new CountDownLatch(1);
    AtomicReference<Throwable> innerThrew = new AtomicReference<>();
    AtomicBoolean interruptedAfterInner = new AtomicBoolean();
    Nursery.runVoid(outer -> {
      outer.startSoon(() -> {
        try {
          Nursery.runVoid(inner ->
              inner.startSoon(() -> {
                innerBlocked.countDown();
                Thread.sleep(Duration.ofDays(1));
              }));
        } catch (TaskCancelledException e) {
          innerThrew.set(e);
          interruptedAfterInner.set(Thread.currentThread().isInterrupted());
        }
      });
      innerBlocked.await();
      outer.cancel();
    });
    assertInstanceOf(TaskCancelledException.class, innerThrew.get());
    assertTrue(innerThrew.get().getMessage().contains("enclosing"), innerThrew.get().getMessage());
    // The enclosing task is still being cancelled, so its interrupt must still be pending.
    assertTrue(interruptedAfterInner.get());
  }

  @Test
  void n5_rethrowIfLooksThroughTheFailureOfANestedNursery() {
    IOException boom = new IOException("from inside a gather");
    IOException thrown =
        assertThrows(
            IOException.class,
            () -> {
              try {
                Nursery.run(n -> {
                  ResultCapture<List<String>> all =
                      n.startSoon(() ->
                          Results.gather(
                              List.<java.util.concurrent.Callable<String>>of(() -> {
                                throw boom;
                              })));
                  all.waitDone();
                  return all.result();
                });
              } catch (NurseryFailedException e) {
                assertInstanceOf(NurseryFailedException.class, e.getCause(), "nested once");
                throw e.rethrowIf(IOException.class);
              }
            });
    assertSame(boom, thrown);
  }
}
