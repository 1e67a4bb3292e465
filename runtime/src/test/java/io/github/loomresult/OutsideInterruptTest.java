package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Disabled;
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
   * The caller enters {@code run} already interrupted; the body's blocking call consumes that
   * interrupt and throws {@code InterruptedException}; a task fails and cancels the body before the
   * body's exception reaches the nursery. That exception is the caller's, not a reply to the
   * nursery's cancellation: the caller's interrupt status is set when {@code run} throws.
   */
  @Test
  void n6_interruptPendingBeforeRunSurvivesABodyCancelledWhileItHandlesIt() {
    IOException boom = new IOException("boom");
    Thread.currentThread().interrupt();
    NurseryFailedException e;
    try {
      e =
          assertThrows(
              NurseryFailedException.class,
              () ->
                  Nursery.runVoid(n -> {
                    CountDownLatch never = new CountDownLatch(1);
                    try {
                      never.await(); // throws at once: the caller's interrupt is pending
                    } catch (InterruptedException fromTheCaller) {
                      n.startSoon(() -> {
                        throw boom;
                      });
                      // Handle it slowly, as a finally doing cleanup would: the failure cancels
                      // the body meanwhile.
                      while (!n.isCancelled()) {
                        Thread.onSpinWait();
                      }
                      throw fromTheCaller;
                    }
                  }));
    } finally {
      assertTrue(Thread.interrupted(), "the caller's interrupt was swallowed");
    }
    assertSame(boom, e.getCause());
  }

  /** The caller's interrupt, left pending, survives a failure that cancels the nursery. */
  @Test
  void n6_interruptPendingBeforeRunSurvivesAFailure() {
    IOException boom = new IOException("boom");
    for (int i = 0; i < 200; i++) {
      Thread.currentThread().interrupt();
      NurseryFailedException e;
      try {
        e =
            assertThrows(
                NurseryFailedException.class,
                () ->
                    Nursery.runVoid(n -> {
                      n.startSoon(() -> Thread.sleep(Duration.ofDays(1)));
                      n.startSoon(() -> {
                        throw boom;
                      });
                      throw new IllegalStateException("body");
                    }));
      } finally {
        assertTrue(Thread.interrupted(), "the caller's interrupt was swallowed (run " + i + ")");
      }
      assertTrue(e.failures().contains(boom) || e.getCause() instanceof IllegalStateException);
    }
  }

  /**
   * Someone else interrupts the caller mid-run and the interrupt is still pending when a task
   * failure cancels the body, so the cancellation finds the flag already set. The body's next
   * blocking call consumes the outside interrupt; the caller's interrupt status is still set when
   * {@code run} throws.
   */
  @Test
  void n6_outsideInterruptPendingWhenTheNurseryCancelsTheBodySurvives() {
    IOException boom = new IOException("boom");
    Thread caller = Thread.currentThread();
    CountDownLatch failNow = new CountDownLatch(1);
    NurseryFailedException e;
    try {
      e =
          assertThrows(
              NurseryFailedException.class,
              () ->
                  Nursery.runVoid(n -> {
                    n.startSoon(() -> caller.interrupt()); // someone else's interrupt
                    ResultCapture<Void> failing =
                        n.startSoon(() -> {
                          failNow.await();
                          throw boom;
                        });
                    while (!Thread.currentThread().isInterrupted()) {
                      Thread.onSpinWait(); // the outside interrupt is pending, not consumed
                    }
                    failNow.countDown();
                    // Until the cancellation has been delivered to the body itself: a failure
                    // propagates into the nursery, whose cancellation walk reaches every task and
                    // the body, before the failing handle is done. n.isCancelled() turns true
                    // before the walk reaches the body, and between requesting the body's
                    // cancellation and sampling its interrupt flag a blocking call here would
                    // consume the outside interrupt first (the documented one-flag window).
                    while (!failing.isDone()) {
                      Thread.onSpinWait();
                    }
                    assertTrue(Thread.currentThread().isInterrupted(), "consumed before the await");
                    new CountDownLatch(1).await(); // consumes the pending interrupt
                  }));
    } finally {
      assertTrue(Thread.interrupted(), "the outside interrupt was swallowed");
    }
    assertSame(boom, e.getCause());
  }

  /**
   * A reproduction of the one-flag limit (docs/RELIABILITY.md, "Known limits"), disabled until the
   * runtime stops inferring the owner of an interrupt from the thread's one flag. Someone else
   * interrupts the caller mid-run; the body's blocking call consumes that interrupt; while the body
   * still handles the {@code InterruptedException}, a task fails and the nursery's own cancellation
   * interrupts the body (the flag is clear at that moment, so the nursery counts this interrupt as
   * its own). The body then ends with the outside {@code InterruptedException}, which the nursery
   * takes for the reply to its own cancellation, and the outside interrupt is gone. Deterministic:
   * latches order every step.
   */
  @Test
  @Disabled("one interrupt flag per thread: docs/RELIABILITY.md, Known limits")
  void n6_outsideInterruptMidRunSurvivesAFailureThatCancelsTheBodyWhileItHandlesIt() {
    IOException boom = new IOException("boom");
    Thread caller = Thread.currentThread();
    CountDownLatch failNow = new CountDownLatch(1);
    NurseryFailedException e;
    try {
      e =
          assertThrows(
              NurseryFailedException.class,
              () ->
                  Nursery.runVoid(n -> {
                    n.startSoon(() -> caller.interrupt()); // someone else's interrupt
                    n.startSoon(() -> {
                      failNow.await();
                      throw boom;
                    });
                    try {
                      new CountDownLatch(1).await(); // ends by the outside interrupt
                    } catch (InterruptedException fromOutside) {
                      failNow.countDown();
                      while (!n.isCancelled()) {
                        Thread.onSpinWait(); // still handling it when the failure cancels us
                      }
                      throw fromOutside;
                    }
                  }));
    } finally {
      assertTrue(Thread.interrupted(), "the outside interrupt was swallowed");
    }
    assertSame(boom, e.getCause());
  }
}
