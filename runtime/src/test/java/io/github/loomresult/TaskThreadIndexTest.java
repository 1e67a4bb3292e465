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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /**
   * Thread ids spaced {@code spacing} apart put one entry in each block of ids (16) or many blocks
   * on a few stripes and places (1024): every entry is found through the chains of the others, a
   * removed one is gone while the others stay found, slots freed by removals are reused, and the
   * stripes grow and shrink back. The threads are never started: the index only reads their ids,
   * and a lookup asks only that the thread is virtual.
   */
  @ParameterizedTest
  @CsvSource({"1, 4000", "16, 3000", "1024, 300", "65536, 20"})
  void entriesOfSparseThreadIdsAreFoundThroughEveryCollision(int spacing, int count) {
    int before = TaskThreadIndex.size();
    List<Thread> threads = new ArrayList<>();
    List<ResultCapture<Object>> captures = new ArrayList<>();
    long lastId = -spacing;
    while (threads.size() < count) {
      Thread t = Thread.ofVirtual().unstarted(() -> {});
      if (t.threadId() - lastId >= spacing) {
        lastId = t.threadId();
        ResultCapture<Object> c = ResultCapture.of(() -> null);
        c.assignThread(t);
        threads.add(t);
        captures.add(c);
      }
    }
    try {
      for (int i = 0; i < count; i++) {
        TaskThreadIndex.add(captures.get(i), threads.get(i));
      }
      assertEquals(before + count, TaskThreadIndex.size());
      assertAllFound(threads, captures, -1);
      for (int round = 0; round < 2; round++) {
        int removedParity = round;
        for (int i = removedParity; i < count; i += 2) {
          TaskThreadIndex.remove(captures.get(i), threads.get(i));
        }
        assertEquals(before + count - (count + 1 - removedParity) / 2, TaskThreadIndex.size());
        assertAllFound(threads, captures, removedParity);
        for (int i = removedParity; i < count; i += 2) {
          TaskThreadIndex.add(captures.get(i), threads.get(i));
        }
        assertAllFound(threads, captures, -1);
      }
      for (int i = count - 1; i >= 0; i--) {
        TaskThreadIndex.remove(captures.get(i), threads.get(i));
        assertNull(TaskThreadIndex.find(threads.get(i)));
        if (i > 0) {
          assertSame(captures.get(i - 1), TaskThreadIndex.find(threads.get(i - 1)));
        }
      }
    } finally {
      for (int i = 0; i < count; i++) {
        TaskThreadIndex.remove(captures.get(i), threads.get(i));
      }
    }
    assertEquals(before, TaskThreadIndex.size());
  }

  /** Every entry is found, except those of parity {@code removedParity}, which are gone. */
  private static void assertAllFound(
      List<Thread> threads, List<ResultCapture<Object>> captures, int removedParity) {
    for (int i = 0; i < threads.size(); i++) {
      if (i % 2 == removedParity) {
        assertNull(TaskThreadIndex.find(threads.get(i)), "removed entry " + i);
      } else {
        assertSame(captures.get(i), TaskThreadIndex.find(threads.get(i)), "entry " + i);
      }
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
