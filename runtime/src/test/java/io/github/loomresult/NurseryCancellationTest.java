package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ending a nursery on purpose: {@code cancel()} moves on (N8), tasks cooperate and shield (N10),
 * background tasks are cancelled once the real work is done (N11).
 */
@Timeout(10)
class NurseryCancellationTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  // ---- N8: cancel() cancels body and children and moves on ----

  @Test
  void n8_cancelFromTheBodyMovesOnWithTheBodysValue() {
    CountDownLatch started = new CountDownLatch(3);
    List<ResultCapture<Void>> children = new ArrayList<>();
    String value =
        Nursery.run(n -> {
          for (int i = 0; i < 3; i++) {
            children.add(
                n.startSoon(() -> {
                  started.countDown();
                  Thread.sleep(Duration.ofDays(1));
                }));
          }
          started.await();
          n.cancel();
          return "moved on";
        });
    assertEquals("moved on", value);
    for (ResultCapture<Void> c : children) {
      assertEquals(TaskState.CANCELLED, c.state());
      assertInstanceOf(TaskCancelledException.class, c.exception());
    }
    assertFalse(Thread.currentThread().isInterrupted(), "cancel() leaked its interrupt");
  }

  @Test
  void n8_cancelInterruptsTheBodyAndRunReturnsNull() {
    AtomicBoolean bodyInterrupted = new AtomicBoolean();
    Object value =
        Nursery.run(n -> {
          n.cancel();
          try {
            Thread.sleep(Duration.ofDays(1));
          } catch (InterruptedException e) {
            bodyInterrupted.set(true);
            throw e;
          }
          return "unreachable";
        });
    assertNull(value);
    assertTrue(bodyInterrupted.get());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void n8_cancelFromAChildCancelsTheBodyAndTheSiblings() {
    CountDownLatch siblingBlocked = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> sibling = new AtomicReference<>();
    AtomicReference<ResultCapture<String>> canceller = new AtomicReference<>();
    Object value =
        Nursery.run(n -> {
          sibling.set(
              n.startSoon(() -> {
                siblingBlocked.countDown();
                new CountDownLatch(1).await();
              }));
          siblingBlocked.await();
          canceller.set(
              n.startSoon(() -> {
                n.cancel();
                return "cancelled the nursery";
              }));
          new CountDownLatch(1).await();
          return "unreachable";
        });
    assertNull(value);
    assertEquals(TaskState.CANCELLED, sibling.get().state());
    // It returned a value despite its own cancellation: an outcome is never dropped.
    assertEquals("cancelled the nursery", canceller.get().result());
  }

  @Test
  void n8_cancelFromAnotherThreadMovesOn() throws Exception {
    CountDownLatch childBlocked = new CountDownLatch(1);
    AtomicReference<Nursery> nursery = new AtomicReference<>();
    Thread outsider =
        Thread.ofPlatform()
            .start(() -> {
              try {
                childBlocked.await();
              } catch (InterruptedException e) {
                return;
              }
              nursery.get().cancel();
            });
    AtomicReference<ResultCapture<Void>> child = new AtomicReference<>();
    Object value =
        Nursery.run(n -> {
          nursery.set(n);
          child.set(
              n.startSoon(() -> {
                childBlocked.countDown();
                Thread.sleep(Duration.ofDays(1));
              }));
          return "body done";
        });
    outsider.join();
    assertEquals("body done", value);
    assertEquals(TaskState.CANCELLED, child.get().state());
    assertTrue(nursery.get().isCancelled());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void n8_isCancelledReportsCancelAndCancelIsIdempotent() {
    Nursery.runVoid(n -> {
      assertFalse(n.isCancelled());
      n.cancel();
      assertTrue(n.isCancelled());
      n.cancel();
      assertTrue(n.isCancelled());
    });
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void n8_taskStartedAfterCancelNeverRuns() {
    AtomicBoolean ran = new AtomicBoolean();
    AtomicReference<ResultCapture<Void>> late = new AtomicReference<>();
    Nursery.runVoid(n -> {
      n.cancel();
      late.set(n.startSoon(() -> ran.set(true)));
    });
    assertFalse(ran.get());
    assertEquals(TaskState.CANCELLED, late.get().state());
  }

  @Test
  void n8_cancelOfTheOuterNurseryCancelsNestedNurseriesAndStillMovesOn() {
    CountDownLatch innerBlocked = new CountDownLatch(2);
    List<ResultCapture<Void>> innerTasks = new ArrayList<>();
    AtomicReference<ResultCapture<Void>> outerTask = new AtomicReference<>();
    String value =
        Nursery.run(outer -> {
          outerTask.set(
              outer.startSoon(() ->
                  Nursery.runVoid(inner -> {
                    for (int i = 0; i < 2; i++) {
                      innerTasks.add(
                          inner.startSoon(() -> {
                            innerBlocked.countDown();
                            Thread.sleep(Duration.ofDays(1));
                          }));
                    }
                  })));
          innerBlocked.await();
          outer.cancel();
          return "outer moved on";
        });
    assertEquals("outer moved on", value);
    assertEquals(2, innerTasks.size());
    for (ResultCapture<Void> t : innerTasks) {
      assertEquals(TaskState.CANCELLED, t.state());
    }
    assertEquals(TaskState.CANCELLED, outerTask.get().state());
  }

  @Test
  void n8_cancelInTryWithResourcesMovesOnAtJoin() {
    CountDownLatch started = new CountDownLatch(1);
    ResultCapture<Void> child;
    try (Nursery n = Nursery.open()) {
      child =
          n.startSoon(() -> {
            started.countDown();
            Thread.sleep(Duration.ofDays(1));
          });
      try {
        started.await();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      n.cancel();
      n.join();
    }
    assertEquals(TaskState.CANCELLED, child.state());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  // ---- N10: cooperative cancellation and shields ----

  @Test
  void n10_cpuBoundLoopSeesCancellationThroughIsCancelled() {
    CountDownLatch looping = new CountDownLatch(1);
    AtomicLong iterations = new AtomicLong();
    AtomicReference<ResultCapture<String>> loop = new AtomicReference<>();
    Nursery.runVoid(n -> {
      loop.set(
          n.startSoon(() -> {
            while (!Cancellation.isCancelled()) {
              // Never blocks, never looks at the interrupt flag.
              if (iterations.incrementAndGet() == 1) {
                looping.countDown();
              }
            }
            return "noticed";
          }));
      looping.await();
      n.cancel();
    });
    assertEquals("noticed", loop.get().result());
    assertTrue(iterations.get() > 0);
  }

  @Test
  void n10_throwIfCancelledEndsTheTaskAsCancelledNotFailed() {
    CountDownLatch looping = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> loop = new AtomicReference<>();
    Nursery.runVoid(n -> {
      loop.set(
          n.startSoon(() -> {
            looping.countDown();
            while (true) {
              Cancellation.throwIfCancelled();
              Thread.onSpinWait();
            }
          }));
      looping.await();
      n.cancel();
    });
    assertEquals(TaskState.CANCELLED, loop.get().state());
    assertInstanceOf(TaskCancelledException.class, loop.get().exception());
  }

  @Test
  void n10_cancellationBySiblingFailureIsVisibleToCpuLoops() {
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch looping = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> loop = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  loop.set(
                      n.startSoon(() -> {
                        looping.countDown();
                        while (true) {
                          Cancellation.throwIfCancelled();
                        }
                      }));
                  looping.await();
                  n.startSoon(() -> {
                    throw boom;
                  });
                }));
    assertEquals(List.of(boom), e.failures());
    assertEquals(TaskState.CANCELLED, loop.get().state());
  }

  @Test
  void n10_bodyCanAskWhetherItsNurseryIsCancelled() {
    List<Boolean> seen =
        Nursery.run(n -> {
          boolean before = Cancellation.isCancelled();
          Cancellation.throwIfCancelled();
          n.cancel();
          boolean after = Cancellation.isCancelled();
          TaskCancelledException e =
              assertThrows(TaskCancelledException.class, Cancellation::throwIfCancelled);
          assertNotNull(e.getMessage());
          return List.of(before, after);
        });
    assertEquals(List.of(false, true), seen);
  }

  @Test
  void n10_perTaskCancelIsVisibleToThatTaskOnly() {
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch releaseOther = new CountDownLatch(1);
    List<Object> seen =
        Nursery.run(n -> {
          var target =
              n.startSoon(() -> {
                bothRunning.countDown();
                while (!Cancellation.isCancelled()) {
                  Thread.onSpinWait();
                }
                return "own handle cancelled";
              });
          var other =
              n.startSoon(() -> {
                bothRunning.countDown();
                releaseOther.await();
                return Cancellation.isCancelled();
              });
          bothRunning.await();
          target.cancel();
          target.waitDone();
          releaseOther.countDown();
          other.waitDone();
          return List.of(target.result(), other.result(), n.isCancelled());
        });
    assertEquals(List.of("own handle cancelled", false, false), seen);
  }

  @Test
  void n10_outsideAnyTaskNothingIsCancelled() {
    assertFalse(Cancellation.isCancelled());
    assertDoesNotThrow(Cancellation::throwIfCancelled);
    assertEquals("plain", Cancellation.shield(() -> "plain"));
  }

  @Test
  void n10_shieldDefersCancellationUntilTheSectionEnds() {
    CountDownLatch inShield = new CountDownLatch(1);
    CountDownLatch cancelRequested = new CountDownLatch(1);
    AtomicBoolean sectionCompleted = new AtomicBoolean();
    AtomicBoolean sawCancelInside = new AtomicBoolean();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    AtomicReference<ResultCapture<Void>> task = new AtomicReference<>();
    Nursery.runVoid(n -> {
      task.set(
          n.startSoon(() -> {
            Cancellation.shield(() -> {
              inShield.countDown();
              cancelRequested.await(); // blocks; would throw if the cancellation interrupted it
              sawCancelInside.set(Cancellation.isCancelled());
              Thread.sleep(Duration.ofMillis(1)); // still not interrupted
              sectionCompleted.set(true);
              return null;
            });
            try {
              Thread.sleep(Duration.ofDays(1));
            } catch (InterruptedException e) {
              interruptedAfter.set(true);
              throw e;
            }
          }));
      inShield.await();
      n.cancel();
      cancelRequested.countDown();
    });
    assertTrue(sectionCompleted.get(), "the shielded section was cut short");
    assertTrue(sawCancelInside.get(), "the section could not see the pending cancellation");
    assertTrue(interruptedAfter.get(), "the deferred cancellation was never delivered");
    assertEquals(TaskState.CANCELLED, task.get().state());
  }

  @Test
  void n10_shieldWithdrawsAnInterruptAlreadyDeliveredAndRestoresIt() {
    CountDownLatch spinning = new CountDownLatch(1);
    AtomicReference<ResultCapture<List<Boolean>>> task = new AtomicReference<>();
    Nursery.runVoid(n -> {
      task.set(
          n.startSoon(() -> {
            spinning.countDown();
            while (!Thread.currentThread().isInterrupted()) {
              Thread.onSpinWait();
            }
            boolean inside = Cancellation.shield(() -> Thread.currentThread().isInterrupted());
            boolean after = Thread.currentThread().isInterrupted();
            return List.of(inside, after);
          }));
      spinning.await();
      n.cancel();
    });
    assertEquals(List.of(false, true), task.get().result());
  }

  @Test
  void n10_nestedNurseryInsideAShieldIsNotCancelledByTheOuterOne() {
    CountDownLatch innerRunning = new CountDownLatch(1);
    CountDownLatch outerCancelled = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> task = new AtomicReference<>();
    Nursery.runVoid(outer -> {
      task.set(
          outer.startSoon(() ->
              Cancellation.shield(() ->
                  Nursery.run(inner -> {
                    var work =
                        inner.startSoon(() -> {
                          innerRunning.countDown();
                          outerCancelled.await();
                          return "finished under shield";
                        });
                    work.waitDone();
                    return work.result();
                  }))));
      innerRunning.await();
      outer.cancel();
      outerCancelled.countDown();
    });
    assertEquals("finished under shield", task.get().result());
  }

  @Test
  void n10_shieldInANestedNurserysBodyIsNotInterruptedByTheEnclosingTasksCancel() throws Exception {
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

  // ---- N11: background tasks ----

  @Test
  void n11_backgroundTaskIsCancelledOnceTheBodyAndOrdinaryTasksFinish() {
    CountDownLatch backgroundRunning = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> background = new AtomicReference<>();
    AtomicBoolean backgroundCancelledTooEarly = new AtomicBoolean();
    Thread caller = Thread.currentThread();
    String value =
        Nursery.run(n -> {
          background.set(
              n.startBackground(() -> {
                backgroundRunning.countDown();
                Thread.sleep(Duration.ofDays(1));
              }));
          backgroundRunning.await();
          n.startSoon(() -> {
            BlockedThreads.awaitBlocked(caller); // the body has returned; run waits for us
            backgroundCancelledTooEarly.set(background.get().isCancelRequested());
          });
          return "body value";
        });
    assertEquals("body value", value);
    assertFalse(backgroundCancelledTooEarly.get(), "cancelled while an ordinary task ran");
    assertEquals(TaskState.CANCELLED, background.get().state());
  }

  @Test
  void n11_backgroundTaskIsNotAwaitedWhenThereIsNothingElse() {
    AtomicReference<ResultCapture<Void>> background = new AtomicReference<>();
    Nursery.runVoid(n -> background.set(n.startBackground(() -> new CountDownLatch(1).await())));
    assertEquals(TaskState.CANCELLED, background.get().state());
  }

  @Test
  void n11_backgroundTaskThatEndsByItselfSucceeds() {
    AtomicReference<ResultCapture<Void>> background = new AtomicReference<>();
    String value =
        Nursery.run(n -> {
          background.set(n.startBackground(() -> {}));
          background.get().waitDone();
          return "ok";
        });
    assertEquals("ok", value);
    assertEquals(TaskState.SUCCEEDED, background.get().state());
  }

  @Test
  void n11_backgroundTaskFailureFailsTheNursery() {
    IllegalStateException boom = new IllegalStateException("background failed");
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  n.startBackground(() -> {
                    throw boom;
                  });
                  new CountDownLatch(1).await(); // cancelled by the failure
                }));
    assertSame(boom, e.getCause());
  }

  @Test
  void n11_backgroundTaskCleanupAfterCancellationIsAwaited() {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean cleanedUp = new AtomicBoolean();
    Nursery.runVoid(n -> {
      n.startBackground(() -> {
        try {
          running.countDown();
          Thread.sleep(Duration.ofDays(1));
        } finally {
          Cancellation.shield(() -> {
            cleanedUp.set(true);
            return null;
          });
        }
      });
      running.await();
    });
    assertTrue(cleanedUp.get(), "run returned before the background task finished its cleanup");
  }

  /**
   * A task that ends with an interrupt-type exception after its nursery began cancelling, before
   * the cancellation walk reached it, is {@code CANCELLED}, and it reports its cancellation as
   * requested, like every cancelled task. The walk is held up where it runs user code: it reaches
   * the newest task first, cancels the nursery nested in it, and that nursery's withdrawal of a
   * queued task completes the task's future, whose callback waits until the older task ended.
   */
  @Test
  void aTaskCancelledBeforeTheWalkReachesItReportsItsCancellationRequested() {
    Limiter one = Limiter.maxAtOnce(1);
    CountDownLatch walkStalled = new CountDownLatch(1);
    CountDownLatch lateEnded = new CountDownLatch(1);
    CountDownLatch nestedReady = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> late = new AtomicReference<>();
    Nursery.runVoid(n -> {
      late.set(
          n.startSoon(() -> {
            walkStalled.await();
            throw new InterruptedException("ends on its own while the walk is held up");
          }));
      late.get().toCompletableFuture().whenComplete((v, e) -> lateEnded.countDown());
      n.startSoon(() ->
          Nursery.runVoid(m -> {
            CountDownLatch holderRuns = new CountDownLatch(1);
            ResultCapture.builder()
                .limiter(one)
                .startSoon(
                    m,
                    () -> {
                      holderRuns.countDown();
                      Thread.sleep(Duration.ofDays(1));
                    });
            holderRuns.await();
            ResultCapture<Void> queued =
                ResultCapture.builder().limiter(one).startSoon(m, () -> {});
            queued
                .toCompletableFuture()
                .whenComplete((v, e) -> {
                  walkStalled.countDown();
                  Uninterruptibly.await(lateEnded::await);
                });
            nestedReady.countDown();
            Thread.sleep(Duration.ofDays(1));
          }));
      nestedReady.await();
      n.cancel();
    });
    assertEquals(TaskState.CANCELLED, late.get().state());
    assertTrue(
        late.get().isCancelRequested(), "a cancelled task reports its cancellation requested");
  }
}
