package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whose interrupt is whose: the nursery decides from what it did (which thread it interrupted, for
 * which cancellation, whether the flag was already set), never from an exception's cause chain. A
 * body that rethrows what a cancelled child threw is reacting to the nursery's cancellation, not to
 * an interrupt of its own thread, and the caller's interrupt status stays as the caller left it.
 */
@Timeout(20)
class CancellationOwnershipTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /** How the README pattern's nursery is ended while its body waits for {@code user}. */
  enum Ending {
    TIMEOUT,
    MOVE_ON_TIMEOUT,
    CANCEL_FROM_A_TASK,
    SIBLING_FAILURE
  }

  /**
   * The README pattern: the body waits for one task and returns its result. The nursery's
   * cancellation interrupts {@code user} first; the body wakes, reads the cancelled result and
   * rethrows, all before the cancellation walk reaches the body (an older task's interrupt is held
   * until the body has thrown and the owner waits). The outcome is the ending's own, and the
   * caller's interrupt status is clear.
   */
  @ParameterizedTest
  @EnumSource(Ending.class)
  void bodyRethrowingACancelledChildsResultGetsTheEndingsOutcome(Ending ending) throws Exception {
    Thread caller = Thread.currentThread();
    CountDownLatch bodyThrew = new CountDownLatch(1);
    GatedThreads threads = new GatedThreads(caller, bodyThrew);
    CountDownLatch started = new CountDownLatch(2);
    RuntimeException boom = new RuntimeException("boom");
    Nursery.Builder builder = Nursery.builder().threadFactory(threads);
    if (ending == Ending.TIMEOUT || ending == Ending.MOVE_ON_TIMEOUT) {
      builder.timeout(Duration.ofDays(1)); // expired on cue below
    }
    if (ending == Ending.MOVE_ON_TIMEOUT) {
      builder.moveOnTimeout();
    }
    AtomicReference<Object> outcome = new AtomicReference<>();
    try {
      outcome.set(
          builder.run(n -> {
            n.startSoon(() -> { // created first: its interrupt is held
              started.countDown();
              Thread.sleep(Duration.ofDays(1));
              return null;
            });
            ResultCapture<String> user =
                n.startSoon(() -> {
                  started.countDown();
                  Thread.sleep(Duration.ofDays(1));
                  return "u";
                });
            n.startSoon(() -> {
              started.await();
              switch (ending) {
                case TIMEOUT, MOVE_ON_TIMEOUT -> n.expire();
                case CANCEL_FROM_A_TASK -> n.cancel();
                case SIBLING_FAILURE -> throw boom;
              }
              return null;
            });
            user.waitDone();
            try {
              return user.result();
            } finally {
              bodyThrew.countDown();
            }
          }));
    } catch (RuntimeException e) {
      outcome.set(e);
    }
    boolean interrupted = Thread.interrupted();
    switch (ending) {
      case TIMEOUT -> assertInstanceOf(NurseryTimeoutException.class, outcome.get());
      case MOVE_ON_TIMEOUT, CANCEL_FROM_A_TASK -> assertNull(outcome.get());
      case SIBLING_FAILURE -> {
        NurseryFailedException failed =
            assertInstanceOf(NurseryFailedException.class, outcome.get());
        assertEquals(java.util.List.of(boom), failed.failures());
      }
    }
    assertFalse(interrupted, "the nursery invented an interrupt on the caller's thread");
  }

  /**
   * {@code cancel()} while the body waits in {@code start}: the start task is cancelled first and
   * {@code start} throws; the body rethrows before the cancellation walk reaches it (the
   * canceller's own interrupt is held until then). The nursery returns normally, the flag clear.
   */
  @Test
  void cancelWhileTheBodyWaitsInStartReturnsNormally() {
    Thread caller = Thread.currentThread();
    CountDownLatch bodyThrew = new CountDownLatch(1);
    CountDownLatch inStart = new CountDownLatch(1);
    Object value =
        Nursery.builder()
            .threadFactory(new GatedThreads(caller, bodyThrew))
            .run(n -> {
              n.startSoon(() -> { // created first: its interrupt is held
                inStart.await();
                n.cancel();
                return null;
              });
              try {
                return n.start(status -> {
                  inStart.countDown();
                  Thread.sleep(Duration.ofDays(1));
                  return null;
                });
              } finally {
                bodyThrew.countDown();
              }
            });
    assertNull(value);
    assertFalse(Thread.interrupted(), "the nursery invented an interrupt on the caller's thread");
  }

  /**
   * A task cancelled through its own handle ends with an interrupt in its exception's cause chain;
   * a body that rethrows its result failed: nobody interrupted the body's thread.
   */
  @Test
  void bodyRethrowingAHandleCancelledTaskFailsWithoutAnInterrupt() {
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.run(n -> {
                  CountDownLatch running = new CountDownLatch(1);
                  ResultCapture<Object> task =
                      n.startSoon(() -> {
                        running.countDown();
                        Thread.sleep(Duration.ofDays(1));
                        return null;
                      });
                  running.await();
                  task.cancel();
                  task.waitDone();
                  return task.result();
                }));
    assertFalse(Thread.interrupted(), "the nursery invented an interrupt on the caller's thread");
    TaskFailedException read = assertInstanceOf(TaskFailedException.class, e.getCause());
    assertInstanceOf(TaskCancelledException.class, read.getCause());
  }

  /**
   * Task threads from a user's factory whose {@code interrupt()} is held for the first thread
   * created until the body has thrown and the nursery's owner waits for its tasks: the cancellation
   * walk (newest task first, the body last) then reaches the body only after the body ended by
   * itself.
   */
  private static final class GatedThreads implements ThreadFactory {
    private final Thread owner;
    private final CountDownLatch bodyThrew;
    private boolean first = true;

    GatedThreads(Thread owner, CountDownLatch bodyThrew) {
      this.owner = owner;
      this.bodyThrew = bodyThrew;
    }

    @Override
    public synchronized Thread newThread(Runnable r) {
      boolean gated = first;
      first = false;
      return new Thread(r) {
        @Override
        public void interrupt() {
          if (gated && Thread.currentThread() != owner) {
            Uninterruptibly.await(bodyThrew::await);
            while (owner.getState() != Thread.State.WAITING) {
              Thread.onSpinWait();
            }
          }
          super.interrupt();
        }
      };
    }
  }
}
