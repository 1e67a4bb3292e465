package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Bounded stress of starts racing the close and a cancel (lock-free launch, d60d865); both pass.
 */
class DiffReviewStressTest {

  @Test
  void startsRacingTheCloseAreRefusedOrRunToTheEnd() throws Exception {
    for (int round = 0; round < 300; round++) {
      ConcurrentLinkedQueue<ResultCapture<?>> handles = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
      AtomicBoolean refused = new AtomicBoolean();
      CountDownLatch starterReady = new CountDownLatch(1);
      Thread[] starter = new Thread[1];
      boolean background = (round & 1) == 1;
      boolean limited = (round & 2) == 2;
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
                    // Bounded: a thread that never stops starting keeps the nursery open (N7).
                    for (int i = 0; i < 2_000; i++) {
                      ResultCapture<?> h =
                          background && (i % 3 == 0)
                              ? n.startBackground(() -> threads.add(Thread.currentThread()))
                              : n.startSoon(() -> threads.add(Thread.currentThread()));
                      handles.add(h);
                    }
                  } catch (IllegalStateException e) {
                    refused.set(true);
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
      for (ResultCapture<?> h : handles) {
        assertTrue(h.isDone());
      }
    }
  }

  @Test
  void startsRacingACancelAreCancelledOnceCancelReturns() throws Exception {
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
