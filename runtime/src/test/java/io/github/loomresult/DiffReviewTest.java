package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
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
  void runLeavesNoParkPermitOnTheCallersThread() throws InterruptedException {
    // With a permit left behind, park() returns at once and the thread ends instead of blocking.
    Thread caller =
        Thread.ofPlatform()
            .start(() -> {
              Nursery.run(n -> null);
              LockSupport.park();
            });
    BlockedThreads.awaitBlocked(caller);
    LockSupport.unpark(caller);
    caller.join();
  }

  /**
   * Before the lock-free registry (d60d865), a finished task was unlinked from its nursery at once.
   * Now a finished capture stays in the registry, with its value and its Callable, until a sweep,
   * which runs after at least MIN_SWEEP (64) more finishes, on a task thread whose sequence is a
   * multiple of SWEEP_CHECK (32), and unlinks the finished tasks whose thread is dead. So a
   * long-lived nursery (a server loop in open()) keeps a bounded number of dropped handles, not all
   * of them: after a few hundred later tasks, a dropped handle's value is collectable.
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
   * A started capture is its thread's Runnable (f1f0a67), but run() from anyone else, or from its
   * own task, is refused: a queued (pending) capture, a running one, and a finished one; the task
   * runs once and the nursery ends normally.
   */
  @Test
  void runOnAStartedCaptureIsRefusedAndChangesNothing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> fromItself = new AtomicReference<>();
    AtomicReference<ResultCapture<Integer>> self = new AtomicReference<>();
    int[] runs = new int[1];
    Integer value =
        Nursery.builder()
            .maxAtOnce(1)
            .run(n -> {
              ResultCapture<Integer> first =
                  n.startSoon(() -> {
                    release.await();
                    try {
                      self.get().run();
                    } catch (Throwable t) {
                      fromItself.set(t);
                    }
                    return 1;
                  });
              self.set(first);
              ResultCapture<Integer> queued = n.startSoon(() -> ++runs[0]);
              assertEquals(TaskState.PENDING, queued.state());
              assertThrows(IllegalStateException.class, queued::run);
              AtomicReference<Throwable> fromOther = new AtomicReference<>();
              Thread other =
                  Thread.ofVirtual()
                      .start(() -> {
                        try {
                          queued.run();
                        } catch (Throwable t) {
                          fromOther.set(t);
                        }
                      });
              other.join();
              assertInstanceOf(IllegalStateException.class, fromOther.get());
              assertEquals(TaskState.PENDING, queued.state());
              assertThrows(IllegalStateException.class, first::run);
              release.countDown();
              queued.waitDone();
              assertThrows(IllegalStateException.class, queued::run);
              return first.result() + queued.result();
            });
    assertEquals(2, value);
    assertEquals(1, runs[0]);
    assertInstanceOf(IllegalStateException.class, fromItself.get());
  }

  /**
   * Only a task's own thread sweeps the registry. Tasks that end elsewhere (cancelled while queued
   * for a limiter slot: withdrawn by the canceller's thread) are marked but never swept while no
   * task thread finishes: here 2,000 of them stay linked (with their Callables) behind one task
   * that holds the only slot. Such a finisher sweeps too, before its decrement.
   */
  @Test
  void withdrawnQueuedTasksDoNotPileUpInTheRegistry() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Nursery n = Nursery.builder().maxAtOnce(1).open()) {
      n.startSoon(() -> release.await());
      for (int i = 0; i < 2_000; i++) {
        ResultCapture<Integer> queued = n.startSoon(() -> 1);
        assertTrue(queued.cancel());
        assertEquals(TaskState.CANCELLED, queued.state());
      }
      int linked = registrySize(n);
      release.countDown();
      n.join();
      assertTrue(linked < 200, linked + " tasks linked in the registry");
    }
  }

  private static int registrySize(Nursery n) throws ReflectiveOperationException {
    java.lang.reflect.Field field = Nursery.class.getDeclaredField("registry");
    field.setAccessible(true);
    TaskRegistry registry = (TaskRegistry) field.get(n);
    int size = 0;
    for (ResultCapture<?> c = registry.first(); c != null; c = c.next) {
      size++;
    }
    return size;
  }
}
