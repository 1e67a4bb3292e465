package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Long-lived nurseries and handles keep a bounded amount of what passed through them: dropped
 * handles of finished tasks, tasks withdrawn from a limiter's queue, and waiters that gave up.
 */
class BoundedRetentionTest {

  /**
   * A finished capture stays in its nursery's registry, with its value and its task, until a sweep
   * unlinks the finished tasks whose thread has ended; sweeps run as later tasks finish. So a
   * long-lived nursery (a server loop in {@code open()}) keeps a bounded number of dropped handles:
   * after a few hundred later tasks, a dropped handle's value is collectable.
   */
  @Test
  void aFinishedTasksValueIsReleasedByALiveNurseryAfterLaterTasks() throws Exception {
    try (Nursery n = Nursery.open()) {
      WeakReference<byte[]> value = startAndDrop(n);
      for (int i = 0; i < 400; i++) { // several sweeps, long after the first task's thread ended
        n.startSoon(() -> 0).waitDone();
      }
      for (int i = 0; i < 100 && value.get() != null; i++) {
        System.gc();
      }
      assertNull(value.get(), "a live nursery still holds a dropped handle's value");
      n.join();
    }
  }

  private static WeakReference<byte[]> startAndDrop(Nursery n) throws InterruptedException {
    ResultCapture<byte[]> c = n.startSoon(() -> new byte[1 << 20]);
    c.waitDone();
    return new WeakReference<>(c.result());
  }

  /**
   * Tasks cancelled while queued for a limiter slot end on the canceller's thread, not on a task
   * thread of their own. While one task holds the only slot, 2,000 of them are started and
   * cancelled: the nursery must not keep them (and what their tasks refer to) until it ends.
   */
  @Test
  void withdrawnQueuedTasksAreNotKeptByALiveNursery() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<WeakReference<Object>> payloads = new ArrayList<>();
    try (Nursery n = Nursery.builder().maxAtOnce(1).open()) {
      n.startSoon(() -> release.await());
      for (int i = 0; i < 2_000; i++) {
        Object payload = new Object();
        payloads.add(new WeakReference<>(payload));
        ResultCapture<Integer> queued = n.startSoon(() -> payload.hashCode());
        assertTrue(queued.cancel());
        assertEquals(TaskState.CANCELLED, queued.state());
      }
      long kept = 0;
      for (int i = 0; i < 100; i++) {
        System.gc();
        kept = payloads.stream().filter(p -> p.get() != null).count();
        if (kept < 200) {
          break;
        }
      }
      release.countDown();
      n.join();
      assertTrue(kept < 200, kept + " withdrawn tasks are still kept by the nursery");
    }
  }

  /** A pending handle waited on with timeouts, thousands of times, keeps no dead waiters. */
  @Test
  void timedOutWaitsDoNotAccumulateOnALongLivedHandle() throws Exception {
    Future<String> shutdown = new Future<>();
    for (int i = 0; i < 5_000; i++) {
      assertFalse(shutdown.waitDone(Duration.ofNanos(1)));
      assertTrue(Results.waitAny(List.of(shutdown), Duration.ofNanos(1)).isEmpty());
    }
    int waiters = shutdown.waiterCount();
    assertTrue(waiters < 100, waiters + " dead waiters retained by one pending Future");
  }
}
