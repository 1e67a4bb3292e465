package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lifecycle hook for metrics: which events an observer gets, in which order, with timings. */
@Timeout(30)
@SuppressWarnings("try") // registrations held open around a block, not used in it
class TaskObserverTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /** Records "event:task" for every event, and checks the timings are never negative. */
  static final class Recorder implements TaskObserver {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void started(ResultCapture<?> task, Nursery nursery) {
      events.add("started:" + task.name() + "@" + nursery.name());
    }

    @Override
    public void queued(ResultCapture<?> task, Nursery nursery, Limiter limiter, long waitedNanos) {
      assertTrue(waitedNanos >= 0);
      events.add("queued:" + task.name());
    }

    @Override
    public void running(ResultCapture<?> task, Nursery nursery, long sinceStartNanos) {
      assertTrue(sinceStartNanos >= 0);
      events.add("running:" + task.name());
    }

    @Override
    public void succeeded(ResultCapture<?> task, Nursery nursery, long runNanos) {
      assertTrue(runNanos >= 0);
      events.add("succeeded:" + task.name());
    }

    @Override
    public void failed(ResultCapture<?> task, Nursery nursery, Throwable failure, long runNanos) {
      events.add("failed:" + task.name() + ":" + failure.getClass().getSimpleName());
    }

    @Override
    public void cancelled(ResultCapture<?> task, Nursery nursery, long runNanos) {
      events.add("cancelled:" + task.name() + (runNanos == 0 ? ":never-ran" : ":ran"));
    }

    List<String> of(String task) {
      List<String> mine = new ArrayList<>();
      for (String e : events) {
        if (e.split(":")[1].split("@")[0].equals(task)) {
          mine.add(e);
        }
      }
      return mine;
    }
  }

  @Test
  void everyOutcomeIsReportedInOrderOncePerTask() {
    Recorder r = new Recorder();
    CountDownLatch running = new CountDownLatch(1);
    try (TaskObserver.Registration ignored = TaskObserver.register(r)) {
      Nursery.builder()
          .name("observed")
          .runVoid(n -> {
            n.startSoon("ok", () -> 1);
            ResultCapture.builder()
                .name("bad")
                .suppressException()
                .startSoon(
                    n,
                    () -> {
                      throw new IllegalStateException();
                    });
            ResultCapture<Void> victim =
                n.startSoon(
                    "victim",
                    () -> {
                      running.countDown();
                      new CountDownLatch(1).await();
                    });
            running.await();
            victim.cancel();
          });
    }
    assertEquals(List.of("started:ok@observed", "running:ok", "succeeded:ok"), r.of("ok"));
    assertEquals(
        List.of("started:bad@observed", "running:bad", "failed:bad:IllegalStateException"),
        r.of("bad"));
    assertEquals(
        List.of("started:victim@observed", "running:victim", "cancelled:victim:ran"),
        r.of("victim"));
    assertFalse(r.events.stream().anyMatch(e -> e.contains("body")), "the body is no task");
  }

  @Test
  void aTaskThatQueuedForALimiterReportsItsWaitBeforeItRuns() {
    Recorder r = new Recorder();
    CountDownLatch release = new CountDownLatch(1);
    try (TaskObserver.Registration ignored = TaskObserver.register(r)) {
      Nursery.builder()
          .name("limited")
          .maxAtOnce(1)
          .runVoid(n -> {
            n.startSoon("first", () -> release.await());
            n.startSoon("second", () -> 2);
            release.countDown();
          });
    }
    assertEquals(
        List.of("started:first@limited", "running:first", "succeeded:first"), r.of("first"));
    assertEquals(
        List.of("started:second@limited", "queued:second", "running:second", "succeeded:second"),
        r.of("second"));
  }

  @Test
  void aTaskCancelledBeforeItRanReportsNoRunningEvent() {
    Recorder r = new Recorder();
    try (TaskObserver.Registration ignored = TaskObserver.register(r)) {
      Nursery.builder()
          .name("cancelled-early")
          .runVoid(n -> {
            n.cancel();
            n.startSoon("never", () -> 1);
          });
    }
    assertEquals(
        List.of("started:never@cancelled-early", "cancelled:never:never-ran"), r.of("never"));
  }

  @Test
  void onlyTasksStartedWhileRegisteredAreReportedAndThenToTheirEnd() throws Exception {
    Recorder r = new Recorder();
    CountDownLatch release = new CountDownLatch(1);
    Nursery.builder()
        .name("window")
        .runVoid(n -> {
          n.startSoon("before", () -> 0);
          TaskObserver.Registration registration = TaskObserver.register(r);
          ResultCapture<Integer> during =
              n.startSoon(
                  "during",
                  () -> {
                    release.await();
                    return 1;
                  });
          registration.close(); // closed while "during" runs
          n.startSoon("after", () -> 2);
          release.countDown();
          during.waitDone();
        });
    assertEquals(List.of(), r.of("before"));
    assertEquals(List.of(), r.of("after"));
    assertEquals(
        List.of("started:during@window", "running:during", "succeeded:during"), r.of("during"));
  }

  @Test
  void whatAnObserverThrowsGoesToTheUncaughtHandlerAndTheTaskGoesOn() throws Exception {
    List<Throwable> reported = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.add(e));
    TaskObserver hostile =
        new TaskObserver() {
          @Override
          public void running(ResultCapture<?> task, Nursery nursery, long sinceStartNanos) {
            throw new IllegalArgumentException("observer bug");
          }
        };
    try (TaskObserver.Registration ignored = TaskObserver.register(hostile)) {
      Integer value =
          Nursery.run(n -> {
            ResultCapture<Integer> task = n.startSoon(() -> 7);
            task.waitDone();
            return task.result();
          });
      assertEquals(7, value);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
    assertEquals(1, reported.size());
    assertEquals("observer bug", reported.get(0).getMessage());
  }

  @Test
  void registeringNullIsRefused() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> TaskObserver.register(null));
    assertEquals("observer", e.getMessage());
  }
}
