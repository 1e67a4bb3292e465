package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A {@link ThreadContext} named on a nursery: captured at the start call, restored in the task. */
class ThreadContextTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private final RequestContext request = new RequestContext();

  @Test
  void aTaskSeesTheContextItsStarterHadAtTheStartCall() {
    List<ResultCapture<@Nullable String>> tasks = new ArrayList<>();
    Nursery.builder()
        .threadContext(request)
        .runVoid(n -> {
          request.set("r1");
          tasks.add(n.startSoon(request::get));
          request.set("r2");
          tasks.add(n.startSoon(request::get));
          request.set(null);
          tasks.add(n.startSoon(request::get));
        });
    assertEquals("r1", tasks.get(0).result());
    assertEquals("r2", tasks.get(1).result());
    assertNull(tasks.get(2).result());
  }

  @Test
  void withoutTheContextNamedATaskSeesNothing() {
    request.set("r1");
    try {
      assertNull(Nursery.run(n -> valueOf(n.startSoon(request::get))));
    } finally {
      request.set(null);
    }
  }

  @Test
  void startAndStartBackgroundCarryTheContextToo() throws Exception {
    AtomicReference<@Nullable String> background = new AtomicReference<>();
    CountDownLatch backgroundRan = new CountDownLatch(1);
    String started =
        Nursery.builder()
            .threadContext(request)
            .run(n -> {
              request.set("bg");
              n.startBackground(() -> {
                background.set(request.get());
                backgroundRan.countDown();
              });
              request.set("st");
              backgroundRan.await(); // else it may be cancelled before it runs, when the body ends
              return n.<String>start((TaskStatus<String> status) -> {
                status.started(request.get());
                return null;
              });
            });
    assertEquals("st", started);
    assertEquals("bg", background.get());
  }

  @Test
  void aQueuedTaskCarriesTheContextOfItsStartCallNotOfWhenItRuns() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ResultCapture<@Nullable String>> queued = new AtomicReference<>();
    Nursery.builder()
        .threadContext(request)
        .maxAtOnce(1)
        .runVoid(n -> {
          request.set("first");
          n.startSoon(() -> {
            running.countDown();
            release.await();
            request.set("changed by the first task");
            return null;
          });
          running.await();
          request.set("second");
          queued.set(n.startSoon(request::get));
          assertEquals(TaskState.PENDING, queued.get().state()); // it waits for the slot
          request.set("third");
          release.countDown();
        });
    // It ran on the first task's thread (the slot is handed over) and still saw its own context.
    assertEquals("second", queued.get().result());
  }

  @Test
  void aTaskThatCarriesNoneSeesNoneOfWhatTheTaskBeforeItOnTheThreadLeft() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ResultCapture<@Nullable String>> queued = new AtomicReference<>();
    Nursery.builder()
        .threadContext(request)
        .maxAtOnce(1)
        .runVoid(n -> {
          n.startSoon(() -> {
            running.countDown();
            release.await();
            request.set("left behind");
            return null;
          });
          running.await();
          queued.set(n.startSoon(request::get));
          release.countDown();
        });
    assertNull(queued.get().result());
  }

  @Test
  void theContextIsRestoredBeforeTheTaskAndPutBackAfterIt() {
    request.events.clear();
    Nursery.builder()
        .threadContext(request)
        .runVoid(n -> {
          request.set("r");
          n.startSoon(() -> {
            request.events.add("task " + request.get());
            return null;
          });
        });
    assertEquals(List.of("restore r", "task r", "close"), request.events);
  }

  @Test
  void theBodyKeepsItsOwnContextWhateverTheTasksDo() {
    Nursery.builder()
        .threadContext(request)
        .runVoid(n -> {
          request.set("body");
          n.startSoon(
                  () -> {
                    request.set("task");
                    return null;
                  })
              .waitDone();
          assertEquals("body", request.get());
        });
    assertEquals("body", request.get());
    request.set(null);
  }

  @Test
  void nestedNurseriesCarryTheContextAtAnyDepth() {
    String deepest =
        Nursery.builder()
            .threadContext(request)
            .run(n -> {
              request.set("outer");
              try {
                return valueOf(
                    n.startSoon(() ->
                        Nursery.run(inner ->
                            valueOf(
                                inner.startSoon(() ->
                                    Nursery.run(innermost ->
                                        valueOf(innermost.startSoon(request::get))))))));
              } finally {
                request.set(null);
              }
            });
    assertEquals("outer", deepest);
  }

  @Test
  void resultsMapInsideTheNurseryCarriesItUnderALimiter() {
    List<String> seen =
        Nursery.builder()
            .threadContext(request)
            .run(n -> {
              request.set("req-7");
              try {
                return Results.map(
                    List.of(1, 2, 3, 4, 5), i -> i + ":" + request.get(), Limiter.maxAtOnce(2));
              } finally {
                request.set(null);
              }
            });
    assertEquals(List.of("1:req-7", "2:req-7", "3:req-7", "4:req-7", "5:req-7"), seen);
  }

  @Test
  void aFailingCaptureIsThrownToTheStartCallAndFailsTheHandle() {
    IllegalStateException broken = new IllegalStateException("capture broke");
    ThreadContext<String> failing = new FailingContext(broken, null);
    AtomicReference<@Nullable ResultCapture<Object>> handle = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
    Nursery.builder()
        .threadContext(failing)
        .runVoid(n -> {
          ResultCapture<Object> capture = ResultCapture.builder().build(() -> "never");
          handle.set(capture);
          thrown.set(
              assertThrows(
                  IllegalStateException.class, () -> TaskLaunch.launch(n, capture, false)));
        });
    assertSame(broken, thrown.get());
    assertEquals(TaskState.FAILED, handle.get().state());
    assertSame(broken, handle.get().exception());
  }

  @Test
  void aFailingRestoreFailsTheTaskAndItsNursery() {
    IllegalStateException broken = new IllegalStateException("restore broke");
    ThreadContext<String> failing = new FailingContext(null, broken);
    NurseryFailedException failed =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.builder()
                    .threadContext(failing)
                    .runVoid(n -> n.startSoon(() -> "never runs")));
    assertSame(broken, failed.getCause());
  }

  @Test
  void aScopeThatFailsToCloseFailsTheTaskWithTheTasksOwnFailureKept() {
    IllegalStateException closeBroke = new IllegalStateException("close broke");
    ThreadContext<String> closing =
        new ThreadContext<>() {
          @Override
          public String capture() {
            return "x";
          }

          @Override
          public Scope restore(String captured) {
            return () -> {
              throw closeBroke;
            };
          }

          @Override
          public Scope clear() {
            return () -> {};
          }
        };
    IllegalArgumentException own = new IllegalArgumentException("the task's own");
    NurseryFailedException failed =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.builder()
                    .threadContext(closing)
                    .runVoid(n ->
                        n.startSoon(() -> {
                          throw own;
                        })));
    assertSame(own, failed.getCause());
    assertSame(closeBroke, own.getSuppressed()[0]);
  }

  @Test
  void aNonScopedValueIsRefusedByName() {
    Exception refused =
        assertThrows(
            RuntimeException.class, () -> Nursery.builder().carryScopedValues("not a scoped one"));
    if (Runtime.version().feature() >= 25) {
      assertInstanceOf(IllegalArgumentException.class, refused);
      assertEquals(
          "not a java.lang.ScopedValue: not a scoped one (java.lang.String)", refused.getMessage());
    } else {
      assertInstanceOf(UnsupportedOperationException.class, refused);
    }
  }

  private static <T> T valueOf(ResultCapture<T> task) throws InterruptedException {
    task.waitDone();
    return task.result();
  }

  /** Fails in capture or in restore. */
  private record FailingContext(
      @Nullable RuntimeException onCapture, @Nullable RuntimeException onRestore)
      implements ThreadContext<String> {
    @Override
    public String capture() {
      if (onCapture != null) {
        throw onCapture;
      }
      return "x";
    }

    @Override
    public Scope restore(String captured) {
      if (onRestore != null) {
        throw onRestore;
      }
      return () -> {};
    }

    @Override
    public Scope clear() {
      return () -> {};
    }
  }
}
