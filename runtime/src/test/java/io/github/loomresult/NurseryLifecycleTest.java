package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The life of a nursery: where code runs (N1), waiting (N2), try-with-resources (N3), arrivals (N7)
 * and names (N12).
 */
@Timeout(10)
class NurseryLifecycleTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  // ---- N1: body on the caller's thread, children on virtual threads or a custom factory ----

  @Test
  void n1_bodyRunsOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    Thread bodyThread = Nursery.run(n -> Thread.currentThread());
    assertSame(caller, bodyThread);
  }

  @Test
  void n1_childrenRunOnNewVirtualThreadsByDefault() {
    Thread caller = Thread.currentThread();
    Thread child =
        Nursery.run(n -> {
          var c = n.startSoon(Thread::currentThread);
          c.waitDone();
          return c.result();
        });
    assertNotNull(child);
    assertNotSame(caller, child);
    assertTrue(child.isVirtual());
    assertEquals(1, leaks.createdCount());
  }

  @Test
  void n1_customThreadFactoryIsUsedForEveryChild() {
    TrackingThreadFactory factory = TrackingThreadFactory.platform("custom-");
    List<Thread> ranOn =
        Nursery.builder()
            .threadFactory(factory)
            .run(n -> {
              var a = n.startSoon(Thread::currentThread);
              var b = n.startSoon("named", Thread::currentThread);
              var c = n.startSoon(() -> n.startSoon(Thread::currentThread));
              c.waitDone();
              var grandchild = c.result();
              a.waitDone();
              b.waitDone();
              grandchild.waitDone();
              return List.of(a.result(), b.result(), grandchild.result());
            });
    assertNotNull(ranOn);
    assertEquals(4, factory.threads().size());
    for (Thread t : ranOn) {
      assertFalse(t.isVirtual(), t + " should come from the platform factory");
      assertTrue(factory.threads().contains(t), t + " was not created by the factory");
    }
  }

  @Test
  void n1_threadFactoryReturningNullFailsTheStartNotTheNursery() {
    String value =
        Nursery.builder()
            .threadFactory(r -> null)
            .run(n -> {
              RuntimeException e = assertThrows(RuntimeException.class, () -> n.startSoon(() -> 1));
              assertTrue(e.getMessage().contains("returned null"), e.getMessage());
              return "body goes on";
            });
    assertEquals("body goes on", value);
  }

  // ---- N2: run returns the body's value once every child has finished ----

  @Test
  void n2_runReturnsTheBodysValue() {
    assertEquals("value", Nursery.run(n -> "value"));
    assertNull(Nursery.run(n -> null));
  }

  @Test
  void n2_runWaitsForChildrenTheBodyDidNotWaitFor() {
    TrackingThreadFactory factory = TrackingThreadFactory.virtual("n2-");
    CountDownLatch bodyReturning = new CountDownLatch(1);
    List<ResultCapture<Integer>> captures = new ArrayList<>();
    AtomicBoolean lastStepDone = new AtomicBoolean();
    Nursery.builder()
        .threadFactory(factory)
        .runVoid(n -> {
          for (int i = 0; i < 8; i++) {
            int k = i;
            captures.add(
                n.startSoon(() -> {
                  bodyReturning.await();
                  return k;
                }));
          }
          n.startSoon(() -> {
            bodyReturning.await();
            lastStepDone.set(true);
          });
          bodyReturning.countDown();
        });
    assertTrue(lastStepDone.get());
    for (int i = 0; i < captures.size(); i++) {
      assertEquals(i, captures.get(i).result());
    }
    assertEquals(9, factory.threads().size());
    assertEquals(List.of(), factory.alive(), "child threads alive after run returned");
  }

  @Test
  void n2_noChildThreadAliveAfterRunFails() {
    TrackingThreadFactory factory = TrackingThreadFactory.virtual("n2f-");
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch blocked = new CountDownLatch(4);
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.builder()
                    .threadFactory(factory)
                    .runVoid(n -> {
                      for (int i = 0; i < 4; i++) {
                        n.startSoon(() -> {
                          blocked.countDown();
                          new CountDownLatch(1).await();
                        });
                      }
                      blocked.await();
                      n.startSoon(() -> {
                        throw boom;
                      });
                    }));
    assertSame(boom, e.getCause());
    assertEquals(5, factory.threads().size());
    assertEquals(List.of(), factory.alive(), "child threads alive after run failed");
  }

  @Test
  void n2_noChildThreadAliveAfterBodyFails() {
    TrackingThreadFactory factory = TrackingThreadFactory.virtual("n2b-");
    IllegalArgumentException boom = new IllegalArgumentException("body failed");
    CountDownLatch started = new CountDownLatch(1);
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.builder()
                    .threadFactory(factory)
                    .runVoid(n -> {
                      n.startSoon(() -> {
                        started.countDown();
                        Thread.sleep(Duration.ofDays(1));
                      });
                      started.await();
                      throw boom;
                    }));
    assertSame(boom, e.getCause());
    assertEquals(List.of(), factory.alive());
  }

  // ---- N3: try-with-resources ----

  @Test
  void n3_joinWaitsForChildrenAndCloseThenDoesNothing() {
    CountDownLatch go = new CountDownLatch(1);
    ResultCapture<String> child;
    try (Nursery n = Nursery.open()) {
      child =
          n.startSoon(() -> {
            go.await();
            return "done";
          });
      go.countDown();
      n.join();
      assertTrue(child.isDone(), "join returned before the child finished");
    }
    assertEquals("done", child.result());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void n3_joinReportsAChildFailureAndCloseAddsNothing() {
    IllegalStateException boom = new IllegalStateException("child failed");
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () -> {
              try (Nursery n = Nursery.open()) {
                n.startSoon(() -> {
                  throw boom;
                });
                n.join();
              }
            });
    assertSame(boom, e.getCause());
    assertEquals(0, e.getSuppressed().length, "close() after join() must not add anything");
  }

  @Test
  void n3_closeWithoutJoinCancelsWaitsAndThrowsIllegalState() {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> child = new AtomicReference<>();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> {
              try (Nursery n = Nursery.open()) {
                child.set(
                    n.startSoon(() -> {
                      started.countDown();
                      Thread.sleep(Duration.ofDays(1));
                    }));
                started.await();
              }
            });
    assertTrue(e.getMessage().contains("without join()"), e.getMessage());
    assertTrue(child.get().isDone(), "close() returned before the child finished");
    assertEquals(TaskState.CANCELLED, child.get().state());
    assertFalse(Thread.currentThread().isInterrupted(), "close() leaked its own interrupt");
  }

  @Test
  void n3_bodyExceptionKeepsPrecedenceAndGetsTheIllegalStateSuppressed() {
    RuntimeException boom = new RuntimeException("body failed");
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> child = new AtomicReference<>();
    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () -> {
              try (Nursery n = Nursery.open()) {
                child.set(
                    n.startSoon(() -> {
                      started.countDown();
                      new CountDownLatch(1).await();
                    }));
                started.await();
                throw boom;
              }
            });
    assertSame(boom, thrown);
    assertEquals(1, boom.getSuppressed().length);
    assertInstanceOf(IllegalStateException.class, boom.getSuppressed()[0]);
    assertEquals(TaskState.CANCELLED, child.get().state());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void n3_closeWithoutJoinCarriesAChildFailureAsCause() {
    IllegalStateException boom = new IllegalStateException("child failed");
    AtomicReference<ResultCapture<Void>> failing = new AtomicReference<>();
    InterruptedException bodyInterrupt =
        assertThrows(
            InterruptedException.class,
            () -> {
              try (Nursery n = Nursery.open()) {
                failing.set(
                    n.startSoon(() -> {
                      throw boom;
                    }));
                // The failure cancels the nursery, which interrupts this (the body's) thread.
                new CountDownLatch(1).await();
              }
            });
    assertEquals(1, bodyInterrupt.getSuppressed().length);
    IllegalStateException notJoined =
        assertInstanceOf(IllegalStateException.class, bodyInterrupt.getSuppressed()[0]);
    NurseryFailedException failed =
        assertInstanceOf(NurseryFailedException.class, notJoined.getCause());
    assertSame(boom, failed.getCause());
    assertSame(boom, failing.get().exception());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void n3_joinTwiceIsRefused() {
    try (Nursery n = Nursery.open()) {
      n.join();
      IllegalStateException e = assertThrows(IllegalStateException.class, n::join);
      assertTrue(e.getMessage().contains("already joined"), e.getMessage());
    }
  }

  @Test
  void n3_joinFromAnotherThreadIsRefused() throws Exception {
    try (Nursery n = Nursery.open()) {
      var fromChild = ResultCapture.builder().suppressException().startSoon(n, n::join);
      fromChild.waitDone();
      assertInstanceOf(WrongThreadException.class, fromChild.exception());
      // The refused join must not have ended the nursery: the owner can still start and join.
      var later = n.startSoon(() -> "still open");
      n.join();
      assertEquals("still open", later.result());
    }
  }

  // ---- N7: any thread inside may start children; a finished nursery refuses ----

  @Test
  void n7_childCanStartSiblingsIntoTheNursery() {
    String value =
        Nursery.run(n -> {
          var outer =
              n.startSoon(() -> {
                var sibling = n.startSoon(() -> "from sibling");
                sibling.waitDone();
                return sibling.result();
              });
          outer.waitDone();
          return outer.result();
        });
    assertEquals("from sibling", value);
  }

  @Test
  void n7_grandchildCanStartIntoTheNurseryAndIsAwaited() {
    CountDownLatch bodyReturned = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> deepest = new AtomicReference<>();
    Nursery.runVoid(n -> {
      n.startSoon(() ->
          n.startSoon(() ->
              n.startSoon(() -> {
                deepest.set(
                    n.startSoon(() -> {
                      bodyReturned.await();
                      return "depth 4";
                    }));
              })));
      bodyReturned.countDown();
    });
    assertNotNull(deepest.get());
    assertEquals("depth 4", deepest.get().result());
  }

  @Test
  void n7_taskOfANestedNurseryCanStartIntoTheOuterNursery() {
    CountDownLatch innerFinished = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> startedIntoOuter = new AtomicReference<>();
    Nursery.runVoid(outer ->
        outer.startSoon(() -> {
          Nursery.runVoid(inner ->
              inner.startSoon(() ->
                  startedIntoOuter.set(
                      outer.startSoon(() -> {
                        innerFinished.await();
                        return "outlives inner";
                      }))));
          innerFinished.countDown();
        }));
    assertEquals("outlives inner", startedIntoOuter.get().result());
  }

  @Test
  void n7_startingIntoAFinishedNurseryThrowsIllegalStateWithAClearMessage() {
    Nursery finished = Nursery.builder().name("done-already").run(n -> n);
    assertNotNull(finished);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> finished.startSoon(() -> 1));
    assertTrue(e.getMessage().contains("closed to new arrivals"), e.getMessage());
    assertTrue(e.getMessage().contains("done-already"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> finished.startSoon("named", () -> {}));
    assertThrows(IllegalStateException.class, () -> finished.startBackground(() -> {}));
    assertThrows(
        IllegalStateException.class,
        () ->
            finished.start(status -> {
              status.started();
              return null;
            }));
    assertEquals(0, leaks.createdCount(), "a refused start must not create a thread");
  }

  @Test
  void n7_startingIntoAClosedNurseryLeavesNoCapturePending() {
    Nursery closed = Nursery.run(n -> n);
    assertNotNull(closed);
    AtomicReference<StartAndDone<String, String>> both = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(open ->
                    both.set(
                        ResultCapture.captureStartAndDone(
                            open,
                            closed,
                            status -> {
                              status.started("never");
                              return "never";
                            }))));
    IllegalStateException refused = assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(refused.getMessage().contains("closed to new arrivals"), refused.getMessage());
    assertTrue(both.get().start().isDone());
    assertTrue(both.get().done().isDone(), "the done capture was left pending");
    assertInstanceOf(IllegalStateException.class, both.get().done().exception());
  }

  @Test
  void n7_startFromABackgroundTaskBeingCancelledNeverLeavesAPendingCapture() {
    CountDownLatch backgroundRunning = new CountDownLatch(1);
    AtomicReference<Object> startOutcome = new AtomicReference<>();
    AtomicBoolean lateTaskRan = new AtomicBoolean();
    Nursery.runVoid(n -> {
      n.startBackground(() -> {
        try {
          backgroundRunning.countDown();
          Thread.sleep(Duration.ofDays(1));
        } finally {
          // The nursery is closing: the body and every ordinary task are done.
          try {
            startOutcome.set(n.startSoon(() -> lateTaskRan.set(true)));
          } catch (IllegalStateException refused) {
            startOutcome.set(refused);
          }
        }
      });
      backgroundRunning.await();
    });
    assertFalse(lateTaskRan.get(), "a task started while the nursery was closing ran");
    if (startOutcome.get() instanceof ResultCapture<?> c) {
      assertEquals(TaskState.CANCELLED, c.state(), "accepted while closing, but not cancelled");
    } else {
      assertInstanceOf(IllegalStateException.class, startOutcome.get());
    }
  }

  // ---- N12: names and toString ----

  @Test
  void n12_nurseryHasItsGivenNameOrAGeneratedOne() {
    assertEquals("fetch", Nursery.builder().name("fetch").run(Nursery::name));
    String generated = Nursery.run(Nursery::name);
    assertNotNull(generated);
    assertTrue(generated.startsWith("nursery-"), generated);
    assertNotEquals(generated, Nursery.run(Nursery::name), "generated names must differ");
  }

  @Test
  void n12_virtualThreadsAreNamedAfterTheNurseryAndTheTask() {
    List<String> names =
        Nursery.builder()
            .name("fetch")
            .run(n -> {
              var named = n.startSoon("users", () -> Thread.currentThread().getName());
              var unnamed = n.startSoon(() -> Thread.currentThread().getName());
              named.waitDone();
              unnamed.waitDone();
              assertEquals("users", named.name());
              return List.of(named.result(), unnamed.result(), unnamed.name());
            });
    assertNotNull(names);
    assertEquals("fetch/users", names.get(0));
    // An unnamed task's thread has the nursery's shared name; the task's own name is task-N.
    assertEquals("fetch/task", names.get(1));
    assertTrue(names.get(2).startsWith("task-"), names.get(2));
  }

  @Test
  void n12_unnamedTasksShareOneThreadNamePerNursery() {
    List<String> names =
        Nursery.builder()
            .name("pool")
            .run(n -> {
              var a = n.startSoon(() -> Thread.currentThread().getName());
              var b = n.startSoon(() -> Thread.currentThread().getName());
              a.waitDone();
              b.waitDone();
              assertNotEquals(a.name(), b.name());
              return List.of(a.result(), b.result());
            });
    assertNotNull(names);
    assertEquals("pool/task", names.get(0));
    assertSame(names.get(0), names.get(1), "one String per nursery, not one per task");
  }

  @Test
  void n12_toStringShowsNameStateAndChildCounts() throws Exception {
    TrackingThreadFactory factory = TrackingThreadFactory.virtual("n12-");
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Nursery> nursery = new AtomicReference<>();
    Nursery.builder()
        .name("stats")
        .threadFactory(factory)
        .runVoid(n -> {
          nursery.set(n);
          assertEquals("Nursery[stats, open, running=0, finished=0]", n.toString());
          CountDownLatch quickGo = new CountDownLatch(1);
          var quick =
              n.startSoon(() -> {
                quickGo.await();
                return 1;
              });
          n.startSoon(() -> release.await());
          n.startSoon(() -> release.await());
          assertEquals("Nursery[stats, open, running=3, finished=0]", n.toString());
          quickGo.countDown();
          quick.waitDone();
          factory.threads().get(0).join(); // its thread has gone: the nursery has counted it
          assertEquals("Nursery[stats, open, running=2, finished=1]", n.toString());
          release.countDown();
        });
    assertEquals("Nursery[stats, closed, running=0, finished=3]", nursery.get().toString());
  }

  @Test
  void n12_toStringShowsACancelledNursery() {
    String text =
        Nursery.builder()
            .name("stopped")
            .run(n -> {
              n.cancel();
              return n.toString();
            });
    assertEquals("Nursery[stopped, cancelled, running=0, finished=0]", text);
  }
}
