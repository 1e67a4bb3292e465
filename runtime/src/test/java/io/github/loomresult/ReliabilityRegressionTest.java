package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plain regression tests for the bugs {@code NurseryTreePropertyTest} found, each the deterministic
 * form of the minimal tree it shrank to (see docs/RELIABILITY.md).
 */
@Timeout(10)
class ReliabilityRegressionTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /**
   * Minimal tree: {@code interrupted caller: N[body=HANG]{#0 throw(UNCHECKED)}}. The caller enters
   * {@code run} already interrupted; the body's blocking call consumes that interrupt and throws
   * {@code InterruptedException}; a task fails and cancels the body before the body's exception
   * reaches the nursery. The nursery took the body's {@code InterruptedException} for a reply to
   * its own cancellation and took its own interrupt back, so the caller's interrupt (N6) was lost:
   * {@code NurseryFailedException} with the interrupt status clear.
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

  /** The same with the interrupt left pending: a plain failure must not lose it either. */
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
}
