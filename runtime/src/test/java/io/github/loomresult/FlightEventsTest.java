package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The flight recorder events: a recording stream is open around each nursery, and stopping it
 * delivers every event committed before the stop, so the assertions need no waiting.
 */
@Timeout(30)
class FlightEventsTest {
  private static final String[] ALL = {
    NurseryEvent.NAME,
    TaskFailedEvent.NAME,
    TaskCancelledEvent.NAME,
    LimiterWaitEvent.NAME,
    DeadlineExpiredEvent.NAME
  };

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
  private RecordingStream stream;

  @BeforeEach
  void record() {
    stream = new RecordingStream();
    stream.setReuse(false); // the events are kept: each must be its own object
    for (String name : ALL) {
      stream.enable(name);
      stream.onEvent(name, events::add);
    }
    stream.startAsync();
  }

  @AfterEach
  void close() {
    stream.close();
  }

  /** Stops the recording; every event committed before is delivered by then. */
  private List<RecordedEvent> stop(String name) {
    stream.stop();
    return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
  }

  private static RecordedEvent only(List<RecordedEvent> events, String field, String value) {
    List<RecordedEvent> matching =
        events.stream().filter(e -> value.equals(e.getString(field))).toList();
    assertEquals(1, matching.size(), () -> field + "=" + value + " in " + events);
    return matching.get(0);
  }

  @Test
  void aFailingTaskRecordsItsExceptionAndItsNurseryEndsFailed() {
    CountDownLatch siblingRuns = new CountDownLatch(1);
    assertThrows(
        NurseryFailedException.class,
        () ->
            Nursery.builder()
                .name("jfr-failing")
                .runVoid(n -> {
                  n.startSoon(
                      "sibling",
                      () -> {
                        siblingRuns.countDown();
                        new CountDownLatch(1).await();
                      });
                  n.startSoon(
                      "boom",
                      () -> {
                        siblingRuns.await();
                        throw new IllegalStateException("bad input 42");
                      });
                }));
    stream.stop();
    RecordedEvent failed = only(byName(TaskFailedEvent.NAME), "task", "boom");
    assertEquals("jfr-failing", failed.getString("nursery"));
    assertEquals(
        IllegalStateException.class.getName(), failed.getClass("exceptionClass").getName());
    assertEquals("bad input 42", failed.getString("message"));

    RecordedEvent cancelled = only(byName(TaskCancelledEvent.NAME), "task", "sibling");
    assertEquals("jfr-failing", cancelled.getString("nursery"));
    assertEquals("a task of the nursery failed", cancelled.getString("reason"));
    assertTrue(cancelled.getLong("sinceRequest") > 0, cancelled::toString);

    RecordedEvent nursery = only(byName(NurseryEvent.NAME), "nursery", "jfr-failing");
    assertEquals("failed", nursery.getString("end"));
    assertEquals(2, nursery.getInt("tasksStarted"));
    assertNull(nursery.getString("parent"));
    assertFalse(nursery.getDuration().isNegative());
  }

  @Test
  void aMessageThatThrowsIsDescribedNotPropagated() {
    class Hostile extends RuntimeException {
      private static final long serialVersionUID = 1L;

      @Override
      public String getMessage() {
        throw new UnsupportedOperationException("no message for you");
      }

      @Override
      public String toString() {
        throw new UnsupportedOperationException("no text either");
      }
    }
    // Kept in the capture: the event is about the task, whatever the nursery's report does.
    Nursery.builder()
        .name("jfr-hostile")
        .runVoid(n ->
            ResultCapture.builder()
                .name("hostile")
                .suppressException()
                .startSoon(
                    n,
                    () -> {
                      throw new Hostile();
                    }));
    RecordedEvent failed = only(stop(TaskFailedEvent.NAME), "task", "hostile");
    assertEquals(
        "<getMessage() threw java.lang.UnsupportedOperationException>",
        failed.getString("message"));
    assertEquals(Hostile.class.getName(), failed.getClass("exceptionClass").getName());
  }

  @Test
  void aTaskCancelledByItsHandleSaysSoAndHowLongItTookToEnd() {
    CountDownLatch running = new CountDownLatch(1);
    Nursery.builder()
        .name("jfr-cancel")
        .runVoid(n -> {
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
    stream.stop();
    RecordedEvent cancelled = only(byName(TaskCancelledEvent.NAME), "task", "victim");
    assertEquals("cancel() of the task", cancelled.getString("reason"));
    assertEquals("jfr-cancel", cancelled.getString("nursery"));
    assertTrue(cancelled.getLong("sinceRequest") > 0, cancelled::toString);
    assertEquals(
        "normal", only(byName(NurseryEvent.NAME), "nursery", "jfr-cancel").getString("end"));
  }

  @Test
  void aNurseryCancelledByItsOwnCancelEndsCancelled() {
    Nursery.builder()
        .name("jfr-nursery-cancel")
        .runVoid(n -> {
          n.startSoon("waiter", () -> new CountDownLatch(1).await());
          n.cancel();
        });
    stream.stop();
    assertEquals(
        "cancel() of the nursery",
        only(byName(TaskCancelledEvent.NAME), "task", "waiter").getString("reason"));
    assertEquals(
        "cancelled",
        only(byName(NurseryEvent.NAME), "nursery", "jfr-nursery-cancel").getString("end"));
  }

  @Test
  void anExpiredDeadlineIsRecordedAndTheNurseryEndsTimedOut() {
    CountDownLatch running = new CountDownLatch(1);
    assertThrows(
        NurseryTimeoutException.class,
        () ->
            Nursery.builder()
                .name("jfr-deadline")
                .timeout(Duration.ofDays(1))
                .runVoid(n -> {
                  n.startSoon(
                      "slow",
                      () -> {
                        running.countDown();
                        new CountDownLatch(1).await();
                      });
                  running.await();
                  n.expire(); // the timer's call, on cue
                }));
    stream.stop();
    RecordedEvent expired = only(byName(DeadlineExpiredEvent.NAME), "nursery", "jfr-deadline");
    assertTrue(expired.getBoolean("fails"));
    assertEquals(2, expired.getInt("tasksRunning"), "the body and 'slow'");
    assertEquals(
        "the nursery's deadline expired",
        only(byName(TaskCancelledEvent.NAME), "task", "slow").getString("reason"));
    assertEquals(
        "timed out", only(byName(NurseryEvent.NAME), "nursery", "jfr-deadline").getString("end"));
  }

  @Test
  void aTaskQueuedForALimiterRecordsItsWait() {
    CountDownLatch release = new CountDownLatch(1);
    Limiter limiter = Limiter.maxAtOnce(1);
    Nursery.builder()
        .name("jfr-limited")
        .limiter(limiter)
        .runVoid(n -> {
          n.startSoon("first", () -> release.await()); // takes the only slot at once
          ResultCapture<String> second = n.startSoon("second", () -> "done"); // queues
          assertEquals(TaskState.PENDING, second.state());
          assertEquals(1, limiter.queued());
          release.countDown();
        });
    List<RecordedEvent> waits = stop(LimiterWaitEvent.NAME);
    RecordedEvent wait = only(waits, "task", "second");
    assertEquals("jfr-limited", wait.getString("nursery"));
    assertTrue(
        wait.getString("limiter").matches("Limiter@[0-9a-f]+\\[maxAtOnce=1]"), wait::toString);
    assertTrue(wait.getLong("waited") > 0, wait::toString);
    assertEquals(1, waits.size(), "the first task never queued");
  }

  @Test
  void aNestedNurseryNamesItsParentTask() {
    AtomicReference<String> innerName = new AtomicReference<>();
    Nursery.builder()
        .name("jfr-outer")
        .runVoid(n ->
            n.startSoon(
                "worker",
                () -> {
                  Nursery.builder().name("jfr-inner").runVoid(inner -> innerName.set(inner.name()));
                }));
    stream.stop();
    RecordedEvent inner = only(byName(NurseryEvent.NAME), "nursery", "jfr-inner");
    assertEquals("jfr-outer/worker", inner.getString("parent"));
    assertEquals(0, inner.getInt("tasksStarted"));
    assertEquals("normal", inner.getString("end"));
  }

  private List<RecordedEvent> byName(String name) {
    return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
  }
}
