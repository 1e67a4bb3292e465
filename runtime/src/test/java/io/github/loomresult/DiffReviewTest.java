package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Regressions from the review of the lock-free start/finish change (d60d865 and following). */
class DiffReviewTest {

  /**
   * The owner books its own body as finished (finish -> taskFinished(body)); when that is the last
   * task, taskFinished unparked the owner from the owner's own thread, leaving a park permit on the
   * caller's thread after Nursery.run returned: its next LockSupport.park returned at once. The
   * lock/condition version never left one.
   */
  @Test
  void runLeavesNoParkPermitOnTheCallersThread() {
    Nursery.run(n -> null);
    long t0 = System.nanoTime();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
    long waited = System.nanoTime() - t0;
    assertTrue(
        waited >= TimeUnit.MILLISECONDS.toNanos(200),
        "park returned after " + waited / 1_000_000 + " ms: Nursery.run left a permit behind");
  }
}
