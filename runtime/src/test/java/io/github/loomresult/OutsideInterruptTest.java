package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An interrupt that the library did not send is never swallowed and never reported as a failure:
 * the nursery (or the hand-run capture) that it reaches reports a cancellation from outside and
 * leaves the interrupt status set.
 */
@Timeout(20)
class OutsideInterruptTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /** Runs {@code action} on a new platform thread, interrupts it once {@code ready} opens. */
  private static Outcome<Object> interruptWhenReady(
      CountDownLatch ready, AtomicBoolean interruptedAfter, Action action) throws Exception {
    AtomicReference<Outcome<Object>> result = new AtomicReference<>();
    Thread caller =
        Thread.ofPlatform()
            .start(() -> {
              try {
                result.set(Outcome.success(action.run()));
              } catch (Throwable t) {
                result.set(Outcome.failure(t));
              }
              interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
    ready.await();
    caller.interrupt();
    caller.join();
    return result.get();
  }

  @FunctionalInterface
  private interface Action {
    Object run() throws Exception;
  }

  @Test
  void outsideInterruptWhileTheBodyIsInANestedNurseryIsACancellation() throws Exception {
    CountDownLatch inner = new CountDownLatch(1);
    AtomicBoolean flag = new AtomicBoolean();
    Outcome<Object> outcome =
        interruptWhenReady(
            inner,
            flag,
            () -> {
              Nursery.runVoid(n ->
                  Nursery.runVoid(m -> {
                    inner.countDown();
                    Thread.sleep(Duration.ofDays(1));
                  }));
              return null;
            });
    Throwable thrown = ((Outcome.Failure<Object>) outcome).exception();
    assertInstanceOf(TaskCancelledException.class, thrown, () -> "got " + thrown);
    assertTrue(flag.get(), "the outside interrupt was swallowed");
  }

  @Test
  void outsideInterruptWhileTheBodyIsInAShieldedNestedNurseryIsACancellation() throws Exception {
    CountDownLatch inner = new CountDownLatch(1);
    AtomicBoolean flag = new AtomicBoolean();
    Outcome<Object> outcome =
        interruptWhenReady(
            inner,
            flag,
            () ->
                Nursery.run(n ->
                    Cancellation.shield(() ->
                        Nursery.run(m -> {
                          inner.countDown();
                          Thread.sleep(Duration.ofDays(1));
                          return null;
                        }))));
    Throwable thrown = ((Outcome.Failure<Object>) outcome).exception();
    assertInstanceOf(TaskCancelledException.class, thrown, () -> "got " + thrown);
    assertTrue(flag.get(), "the outside interrupt was swallowed");
  }

  @Test
  void aHandRunCaptureKeepsAnOutsideInterruptItsTaskEndedBy() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean flag = new AtomicBoolean();
    ResultCapture<Object> capture =
        ResultCapture.of(() -> {
          running.countDown();
          Thread.sleep(Duration.ofDays(1));
          return null;
        });
    Outcome<Object> outcome =
        interruptWhenReady(
            running,
            flag,
            () -> {
              capture.run();
              return null;
            });
    TaskFailedException thrown =
        assertInstanceOf(
            TaskFailedException.class, ((Outcome.Failure<Object>) outcome).exception());
    assertInstanceOf(InterruptedException.class, thrown.getCause());
    assertTrue(flag.get(), "the outside interrupt was swallowed");
  }

  @Test
  void aHandRunSuppressingCaptureKeepsAnOutsideInterruptItsTaskEndedBy() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean flag = new AtomicBoolean();
    ResultCapture<Object> capture =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              running.countDown();
              Thread.sleep(Duration.ofDays(1));
              return null;
            });
    Outcome<Object> outcome =
        interruptWhenReady(
            running,
            flag,
            () -> {
              capture.run();
              return "returned";
            });
    assertEquals("returned", outcome.unwrap());
    assertEquals(TaskState.FAILED, capture.state());
    assertTrue(flag.get(), "the outside interrupt was swallowed");
  }

  /**
   * Under a limit of one, the second task queues behind the first: it starts on a thread that has
   * run no other task, so it sees none of the first task's {@code ThreadLocal}s.
   */
  @Test
  void aQueuedTaskDoesNotSeeThePreviousTasksThreadLocals() {
    ThreadLocal<String> tenant = new ThreadLocal<>();
    CountDownLatch queued = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> second = new AtomicReference<>();
    Nursery.builder()
        .maxAtOnce(1)
        .runVoid(n -> {
          n.startSoon(() -> {
            tenant.set("first task's tenant");
            queued.await();
            return null;
          });
          second.set(n.startSoon(tenant::get));
          assertEquals(TaskState.PENDING, second.get().state());
          queued.countDown();
        });
    assertNull(second.get().result(), "a ThreadLocal leaked from one task to the next");
  }
}
