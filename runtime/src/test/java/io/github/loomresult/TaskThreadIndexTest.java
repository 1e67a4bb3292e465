package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The index of tasks by thread ({@link TaskThreadIndex}): every thread finds its own entry while
 * others are added and removed around it and the stripes grow and shrink, and nothing is left
 * behind.
 */
class TaskThreadIndexTest {
  private static final int THREADS = 2_000;

  @Test
  void aThreadWithoutAnEntryFindsNothing() {
    assertNull(TaskThreadIndex.find(Thread.currentThread()));
  }

  @RepeatedTest(5)
  void everyThreadFindsItsOwnEntryWhileTheStripesGrowAndShrink() throws Exception {
    int before = TaskThreadIndex.size();
    CountDownLatch allAdded = new CountDownLatch(THREADS);
    CountDownLatch halfRemoved = new CountDownLatch(THREADS / 2);
    AtomicInteger wrong = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      boolean early = i % 2 == 0;
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                Thread me = Thread.currentThread();
                ResultCapture<Object> mine = ResultCapture.of(() -> null);
                mine.assignThread(me);
                TaskThreadIndex.add(mine, me);
                allAdded.countDown();
                Uninterruptibly.await(allAdded::await);
                if (!early) {
                  // The other half is being removed (and the stripes shrink) meanwhile.
                  Uninterruptibly.await(halfRemoved::await);
                }
                if (TaskThreadIndex.find(me) != mine) {
                  wrong.incrementAndGet();
                }
                TaskThreadIndex.remove(mine, me);
                if (TaskThreadIndex.find(me) != null) {
                  wrong.incrementAndGet();
                }
                if (early) {
                  halfRemoved.countDown();
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(0, wrong.get());
    assertEquals(before, TaskThreadIndex.size());
  }

  @Test
  void removingAnEntryThatIsNotThereChangesNothing() throws Exception {
    onAVirtualThread(() -> {
      Thread me = Thread.currentThread();
      ResultCapture<Object> mine = ResultCapture.of(() -> null);
      mine.assignThread(me);
      int before = TaskThreadIndex.size();
      TaskThreadIndex.remove(mine, me);
      assertEquals(before, TaskThreadIndex.size());
      TaskThreadIndex.add(mine, me);
      assertSame(mine, TaskThreadIndex.find(me));
      TaskThreadIndex.remove(mine, me);
      assertNull(TaskThreadIndex.find(me));
      assertEquals(before, TaskThreadIndex.size());
    });
  }

  @Test
  void aPlatformThreadIsNeverLookedUp() throws Exception {
    // Only virtual threads a nursery created are added: a platform thread's lookup reads nothing.
    Thread me = Thread.currentThread();
    ResultCapture<Object> mine = ResultCapture.of(() -> null);
    mine.assignThread(me);
    TaskThreadIndex.add(mine, me);
    try {
      assertNull(TaskThreadIndex.find(me));
    } finally {
      TaskThreadIndex.remove(mine, me);
    }
  }

  private static void onAVirtualThread(Runnable check) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        Thread.ofVirtual()
            .start(() -> {
              try {
                check.run();
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    t.join();
    if (failure.get() instanceof AssertionError e) {
      throw e;
    } else if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }
}
