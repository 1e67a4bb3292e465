package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Starts from a thread outside the nursery, racing the nursery's end (N7) and its cancellation
 * (N8): each start is refused or its task is awaited, and no start slips past a cancellation.
 */
class StartRaceTest {

  /**
   * 300 rounds; a platform thread starts tasks (some of them background tasks, some rounds under a
   * limiter) while the body returns. Every start is either refused with {@code
   * IllegalStateException} ("closed to new arrivals") or its task has finished, thread and all,
   * when {@code run} returns. In every fourth round the starter waits for each task before the next
   * start, so that the nursery certainly ends under it and refuses a start.
   */
  @Test
  void n7_startsRacingTheEndOfTheNurseryAreRefusedOrRunToTheEnd() throws Exception {
    for (int round = 0; round < 300; round++) {
      ConcurrentLinkedQueue<ResultCapture<?>> handles = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
      AtomicReference<RuntimeException> refusal = new AtomicReference<>();
      CountDownLatch starterReady = new CountDownLatch(1);
      Thread[] starter = new Thread[1];
      boolean background = (round & 1) == 1;
      boolean limited = (round & 2) == 2;
      boolean oneAtATime = round % 4 == 0;
      Nursery.Builder b = Nursery.builder().name("r" + round);
      if (limited) {
        b.maxAtOnce(2);
      }
      b.run(n -> {
        starter[0] =
            Thread.ofPlatform()
                .start(() -> {
                  starterReady.countDown();
                  try {
                    // Bounded unless one at a time: a thread that never stops starting keeps the
                    // nursery open (N7).
                    for (int i = 0; oneAtATime || i < 2_000; i++) {
                      ResultCapture<?> h =
                          background && (i % 3 == 0)
                              ? n.startBackground(() -> threads.add(Thread.currentThread()))
                              : n.startSoon(() -> threads.add(Thread.currentThread()));
                      handles.add(h);
                      if (oneAtATime) {
                        h.waitDone();
                      }
                    }
                  } catch (RuntimeException e) {
                    refusal.set(e);
                  } catch (InterruptedException e) {
                    throw new AssertionError("the starter is not a task: nobody interrupts it", e);
                  }
                });
        starterReady.await();
        n.startSoon(() -> Thread.onSpinWait());
        return null;
      });
      // Returned: every task that got in has finished, and its thread too (N2).
      for (ResultCapture<?> h : handles) {
        assertTrue(h.isDone(), "round " + round + ": " + h + " not done after run returned");
      }
      for (Thread t : threads) {
        assertFalse(t.isAlive(), "round " + round + ": " + t + " alive after run returned");
      }
      starter[0].join();
      if (oneAtATime || refusal.get() != null) {
        IllegalStateException refused =
            assertInstanceOf(IllegalStateException.class, refusal.get(), "round " + round);
        assertTrue(refused.getMessage().contains("closed to new arrivals"), refused.getMessage());
      }
      for (ResultCapture<?> h : handles) {
        assertTrue(h.isDone(), "round " + round + ": " + h + " accepted but never awaited");
      }
    }
  }

  /**
   * 300 rounds; a platform thread starts sleeping tasks while the body cancels the nursery. Once
   * {@code cancel()} has returned, every task started before it has its cancellation requested (or
   * is done), and every task started after it is cancelled too.
   */
  @Test
  void n8_startsRacingACancelAreCancelledOnceCancelReturns() throws Exception {
    for (int round = 0; round < 300; round++) {
      ConcurrentLinkedQueue<ResultCapture<?>> before = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<ResultCapture<?>> afterCancel = new ConcurrentLinkedQueue<>();
      AtomicBoolean cancelReturned = new AtomicBoolean();
      boolean limited = (round & 1) == 1;
      Nursery.Builder b = Nursery.builder();
      if (limited) {
        b.maxAtOnce(1);
      }
      b.runVoid(n -> {
        Thread s =
            Thread.ofPlatform()
                .start(() -> {
                  try {
                    while (true) {
                      boolean cancelledBefore = cancelReturned.get();
                      ResultCapture<?> h = n.startSoon(() -> Thread.sleep(10_000));
                      if (cancelledBefore) {
                        afterCancel.add(h); // checked by the test's thread after the join
                      }
                      before.add(h);
                      if (cancelledBefore || before.size() > 2_000) {
                        return;
                      }
                    }
                  } catch (IllegalStateException e) {
                    // closed
                  }
                });
        Thread.yield();
        n.cancel();
        cancelReturned.set(true);
        for (ResultCapture<?> h : List.copyOf(before)) {
          assertTrue(h.isCancelRequested() || h.isDone(), "cancel() returned before " + h);
        }
        s.join();
        for (ResultCapture<?> h : afterCancel) {
          assertTrue(h.isCancelRequested(), "a start after cancel() ran uncancelled");
        }
      });
      for (ResultCapture<?> h : before) {
        assertTrue(h.isDone());
      }
    }
  }
}
