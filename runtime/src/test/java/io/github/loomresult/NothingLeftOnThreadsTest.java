package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The library leaves nothing of its own on the threads it runs on: no interrupt and no park permit
 * after a nursery returns (N13), and nothing one task left on a thread is seen by another (N14).
 */
@Timeout(10)
class NothingLeftOnThreadsTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /**
   * A capture run inline on the body's thread is cancelled, then the nursery: both interrupts are
   * the library's, and {@code run} returns with none left on the caller's thread.
   */
  @Test
  void n13_innerCaptureCancelThenNurseryCancelLeavesNoInterruptOnTheCaller() {
    CountDownLatch spinning = new CountDownLatch(1);
    AtomicBoolean go = new AtomicBoolean();
    boolean stray;
    Throwable thrown = null;
    try {
      Nursery.runVoid(n -> {
        ResultCapture<String> inner =
            ResultCapture.of(() -> {
              spinning.countDown();
              while (!go.get()) {
                Thread.onSpinWait(); // busy: does not consume interrupts
              }
              return "done";
            });
        ResultCapture<Void> helper =
            n.startSoon(() -> {
              spinning.await();
              inner.cancel(); // interrupts the owner thread (inner runs on it)
              n.cancel(); // body: owner is "already interrupted" -> BY_US stays clear
              go.set(true);
            });
        inner.run(); // inner absorbs its interrupt and re-asserts it for the body
        while (!helper.isDone()) {
          Thread.onSpinWait();
        }
      });
    } catch (Throwable t) {
      thrown = t;
    } finally {
      stray = Thread.interrupted();
    }
    assertNull(thrown, "a nursery cancelled with cancel() returns normally (N8)");
    assertFalse(stray, "Nursery.run returned with an interrupt that nobody outside sent");
  }

  /**
   * The owner books its own body as finished, which may be the nursery's last task: no unpark of
   * the owner's own thread may be left behind as a park permit after {@code run} returns.
   */
  @Test
  void n13_runLeavesNoParkPermitOnTheCallersThread() throws InterruptedException {
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
   * A task started from a limiter's queue starts with a clear interrupt status, although the task
   * that held the slot before it re-asserted an interrupt on its own thread.
   */
  @Test
  void n14_taskHandedASlotDoesNotInheritThePreviousTasksInterruptStatus() throws Exception {
    Limiter one = Limiter.maxAtOnce(1);
    CountDownLatch bQueued = new CountDownLatch(1);
    Boolean bSawInterrupt =
        Nursery.builder()
            .limiter(one)
            .run(n -> {
              n.startSoon(() -> {
                bQueued.await();
                Thread.currentThread().interrupt(); // "restore the interrupt" idiom
              });
              ResultCapture<Boolean> b = n.startSoon(() -> Thread.currentThread().isInterrupted());
              assertEquals(1, one.queued());
              bQueued.countDown();
              b.waitDone();
              return b.result();
            });
    assertFalse(bSawInterrupt, "task b started with a pending interrupt it never got");
  }

  /**
   * Under a limit of one, the second task queues behind the first: it starts on a thread that has
   * run no other task, so it sees none of the first task's {@code ThreadLocal}s.
   */
  @Test
  void n14_aQueuedTaskDoesNotSeeThePreviousTasksThreadLocals() {
    ThreadLocal<String> tenant = new ThreadLocal<>();
    CountDownLatch queued = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> second = new AtomicReference<>();
    Nursery.builder()
        .maxAtOnce(1)
        .runVoid(n -> {
          n.startSoon(() -> {
            tenant.set("first task's tenant");
            queued.await();
            return null;
          });
          second.set(n.startSoon(tenant::get));
          assertEquals(TaskState.PENDING, second.get().state());
          queued.countDown();
        });
    assertNull(second.get().result(), "a ThreadLocal leaked from one task to the next");
  }
}
