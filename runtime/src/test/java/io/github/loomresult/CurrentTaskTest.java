package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a thread knows its task (CurrentTask): in the task index for a task on its own thread, the
 * thread-local entry otherwise. The suite runs twice, the second time with {@code
 * io.github.loomresult.threadLocalOnly=true}, so both ways are checked.
 */
class CurrentTaskTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void theWayTasksAreFoundIsTheOneThePropertyAsksFor() {
    assertEquals(
        !Boolean.getBoolean("io.github.loomresult.threadLocalOnly"), CurrentTask.indexesTasks());
  }

  @Test
  void aTaskLeavesTheIndexWhenItsCodeReturns() {
    int before = TaskThreadIndex.size();
    List<ResultCapture<Integer>> tasks = new ArrayList<>();
    Nursery.runVoid(n -> {
      for (int i = 0; i < 200; i++) {
        tasks.add(n.startSoon(() -> TaskThreadIndex.size()));
      }
    });
    assertEquals(before, TaskThreadIndex.size());
    if (CurrentTask.indexesTasks()) {
      for (ResultCapture<Integer> task : tasks) {
        assertTrue(task.result() > before, "a running task is in the index");
      }
    }
  }

  @Test
  void aTaskIsCurrentOnItsOwnThreadAndNothingIsOnTheCaller() {
    assertNull(ResultCapture.current());
    List<ResultCapture<Object>> tasks = new ArrayList<>();
    Nursery.runVoid(n -> {
      for (int i = 0; i < 3; i++) {
        tasks.add(n.startSoon(() -> ResultCapture.current()));
      }
    });
    for (ResultCapture<Object> task : tasks) {
      assertSame(task, task.result());
    }
    assertNull(ResultCapture.current());
  }

  @Test
  void aNurseryNestedInATaskIsCurrentInsideAndTheTaskAgainAfterIt() {
    AtomicReference<Object> inside = new AtomicReference<>();
    AtomicReference<Object> after = new AtomicReference<>();
    AtomicReference<ResultCapture<Object>> outer = new AtomicReference<>();
    Nursery.runVoid(n ->
        outer.set(
            n.startSoon(() -> {
              Nursery.runVoid(inner -> inside.set(ResultCapture.current()));
              after.set(ResultCapture.current());
              return null;
            })));
    assertNotNull(inside.get());
    assertNotSame(outer.get(), inside.get());
    assertSame(outer.get(), after.get());
  }

  @Test
  void aCaptureRunByHandInsideATaskIsCurrentThenTheTaskAgain() {
    AtomicReference<Object> byHand = new AtomicReference<>();
    AtomicReference<Object> after = new AtomicReference<>();
    AtomicReference<ResultCapture<Object>> task = new AtomicReference<>();
    ResultCapture<Object> inner = ResultCapture.of(() -> ResultCapture.current());
    Nursery.runVoid(n ->
        task.set(
            n.startSoon(() -> {
              inner.run();
              byHand.set(inner.result());
              after.set(ResultCapture.current());
              return null;
            })));
    assertSame(inner, byHand.get());
    assertSame(task.get(), after.get());
  }

  @Test
  void aCompletionCallbackOnTheTasksThreadSeesNoTask() throws Exception {
    assertNoTaskSeenByACallbackOnTheTasksThread(() -> {});
  }

  @Test
  void aCompletionCallbackAfterANestedNurseryAndACaptureRunByHandSeesNoTask() throws Exception {
    // The task's code runs other captures on its thread: none of them, and not the task itself, is
    // current once its code has returned.
    assertNoTaskSeenByACallbackOnTheTasksThread(() -> {
      Nursery.runVoid(inner -> inner.startSoon(() -> "nested"));
      ResultCapture.of(() -> "by hand").run();
    });
  }

  /**
   * Runs {@code before} in a task that then waits until a completion callback is attached to its
   * handle: the callback runs on the task's thread, after its code returned, and must see no task.
   */
  private static void assertNoTaskSeenByACallbackOnTheTasksThread(VoidTask before) {
    CountDownLatch attached = new CountDownLatch(1);
    AtomicReference<Object> seen = new AtomicReference<>("not run");
    AtomicReference<Thread> callbackThread = new AtomicReference<>();
    AtomicReference<Thread> taskThread = new AtomicReference<>();
    Nursery.runVoid(n -> {
      ResultCapture<Object> c =
          n.startSoon(() -> {
            taskThread.set(Thread.currentThread());
            before.run();
            attached.await();
            return "v";
          });
      c.toCompletableFuture()
          .whenComplete((v, e) -> {
            callbackThread.set(Thread.currentThread());
            seen.set(ResultCapture.current());
          });
      attached.countDown();
    });
    assertSame(taskThread.get(), callbackThread.get());
    assertNull(seen.get());
  }

  @Test
  void aQueuedTaskHandedTheSameThreadIsCurrentThere() {
    List<ResultCapture<Object>> tasks = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Nursery.builder()
        .limiter(Limiter.maxAtOnce(1))
        .runVoid(n -> {
          for (int i = 0; i < 4; i++) {
            tasks.add(
                n.startSoon(() -> {
                  synchronized (threads) {
                    threads.add(Thread.currentThread());
                  }
                  return ResultCapture.current();
                }));
          }
        });
    for (ResultCapture<Object> task : tasks) {
      assertSame(task, task.result());
    }
    assertEquals(4, threads.size());
  }
}
