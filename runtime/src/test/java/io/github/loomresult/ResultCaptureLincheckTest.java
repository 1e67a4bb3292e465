package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * {@link ResultCapture} completion against {@link ResultCapture#cancel()}, model-checked with
 * Lincheck's general-purpose API ({@link Lincheck#runConcurrentTest}): one thread runs an unstarted
 * capture with {@code run()}, two others call {@code cancel()}; Lincheck explores their
 * interleavings. This is not a linearizability check: a cancel that lands while the task runs
 * returns {@code true} and the task may still return its value ({@code SUCCEEDED}), which no
 * sequential order of "run" and "cancel" gives. The invariants checked instead: the capture ends
 * done, in exactly one of {@code SUCCEEDED} (with the task's value) or {@code CANCELLED} (with a
 * {@link TaskCancelledException}), and at most one {@code cancel()} returns {@code true}.
 */
class ResultCaptureLincheckTest {
  private static final int INVOCATIONS = Integer.getInteger("loomresult.lincheck.invocations", 300);

  /** The task returns a value, whatever happens. */
  @Test
  void valueTaskAgainstCancel() {
    Lincheck.runConcurrentTest(INVOCATIONS, () -> check(false));
  }

  /** The task notices a pending interrupt and throws {@link InterruptedException}. */
  @Test
  void interruptibleTaskAgainstCancel() {
    Lincheck.runConcurrentTest(INVOCATIONS, () -> check(true));
  }

  private static void check(boolean interruptible) {
    ResultCapture<Integer> capture =
        ResultCapture.of(() -> {
          if (interruptible && Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled");
          }
          return 42;
        });
    AtomicInteger cancelsGranted = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger refusals = new AtomicInteger();
    Thread runner =
        new Thread(() -> {
          try {
            capture.run();
            runs.incrementAndGet();
          } catch (IllegalStateException alreadyCancelled) {
            refusals.incrementAndGet();
          }
        });
    Runnable cancel =
        () -> {
          if (capture.cancel()) {
            cancelsGranted.incrementAndGet();
          }
        };
    Thread canceller1 = new Thread(cancel);
    Thread canceller2 = new Thread(cancel);
    runner.start();
    canceller1.start();
    canceller2.start();
    try {
      runner.join();
      canceller1.join();
      canceller2.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }

    assertTrue(capture.isDone(), () -> "not done: " + capture);
    assertTrue(cancelsGranted.get() <= 1, () -> cancelsGranted + " cancels returned true");
    assertEquals(1, runs.get() + refusals.get());
    switch (capture.state()) {
      case SUCCEEDED -> {
        assertEquals(42, capture.result());
        assertEquals(1, runs.get(), "a capture that succeeded was run");
      }
      case CANCELLED -> {
        assertInstanceOf(TaskCancelledException.class, capture.exception());
        assertEquals(1, cancelsGranted.get(), "a cancelled capture had its cancel granted once");
      }
      default -> fail("unexpected final state: " + capture);
    }
    if (refusals.get() == 1) {
      assertEquals(TaskState.CANCELLED, capture.state(), "run() refused only after a cancel");
    }
  }
}
