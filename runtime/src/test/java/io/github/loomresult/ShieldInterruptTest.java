package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;

/**
 * N10 with shields inside shields, and with an interrupt that is not the library's: a cancellation
 * reaches the task's thread only when its outermost shield ends, and a shield takes back only the
 * library's own interrupt, never one someone else sent.
 */
class ShieldInterruptTest {

  @RepeatedTest(10)
  void nestedShieldsDeliverTheCancellationOnlyWhenTheOutermostEnds() {
    CountDownLatch inInnermost = new CountDownLatch(1);
    CountDownLatch cancelRequested = new CountDownLatch(1);
    AtomicReference<ResultCapture<List<Boolean>>> task = new AtomicReference<>();
    Nursery.runVoid(n -> {
      task.set(
          n.startSoon(() -> {
            boolean afterInnermost =
                Cancellation.shield(() -> {
                  boolean afterMiddle =
                      Cancellation.shield(() -> {
                        boolean afterInner =
                            Cancellation.shield(() -> {
                              inInnermost.countDown();
                              cancelRequested.await();
                              return Thread.currentThread().isInterrupted();
                            });
                        return afterInner || Thread.currentThread().isInterrupted();
                      });
                  return afterMiddle || Thread.currentThread().isInterrupted();
                });
            return List.of(afterInnermost, Thread.currentThread().isInterrupted());
          }));
      inInnermost.await();
      n.cancel();
      cancelRequested.countDown();
    });
    assertEquals(List.of(false, true), task.get().result());
  }

  @RepeatedTest(10)
  void aShieldKeepsAnInterruptThatWasPendingBeforeTheCancellation() {
    CountDownLatch interruptedItself = new CountDownLatch(1);
    AtomicReference<ResultCapture<List<Boolean>>> task = new AtomicReference<>();
    Nursery.runVoid(n -> {
      task.set(
          n.startSoon(() -> {
            Thread.currentThread().interrupt(); // someone else's interrupt, pending
            interruptedItself.countDown();
            while (!Cancellation.isCancelled()) {
              Thread.onSpinWait();
            }
            boolean inside = Cancellation.shield(() -> Thread.currentThread().isInterrupted());
            boolean after = Thread.currentThread().isInterrupted();
            return List.of(inside, after);
          }));
      interruptedItself.await();
      n.cancel();
    });
    assertEquals(List.of(true, true), task.get().result());
  }
}
