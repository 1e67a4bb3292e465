package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** N12 for the nurseries that Results opens, and the messages users read. */
class NamesAndMessagesTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static final Callable<String> THREAD_NAME = () -> Thread.currentThread().getName();

  @Test
  void mapRunsItsTasksInANurseryNamedMap() {
    assertEquals(List.of("map/task"), Results.map(List.of(1), i -> THREAD_NAME.call()));
    assertEquals(
        List.of("map/task"),
        Results.map(List.of(1), i -> THREAD_NAME.call(), Limiter.maxAtOnce(1)));
    try (Stream<Mapped<Integer, String>> s =
        Results.mapStream(List.of(1), i -> THREAD_NAME.call(), MapOrder.INPUT, null)) {
      assertEquals(List.of("map/task"), s.map(Mapped::value).collect(Collectors.toList()));
    }
  }

  @Test
  void gatherRunsItsTasksInANurseryNamedGather() {
    assertEquals(List.of("gather/task"), Results.gather(List.of(THREAD_NAME)));
    assertEquals(
        List.of("gather/task"), Results.gather(List.of(THREAD_NAME), Limiter.maxAtOnce(1)));
  }

  @Test
  void gatherOutcomesRunsItsTasksInANurseryNamedGatherOutcomes() {
    assertEquals(
        "gatherOutcomes/task", Results.gatherOutcomes(List.of(THREAD_NAME)).get(0).unwrap());
    assertEquals(
        "gatherOutcomes/task",
        Results.gatherOutcomes(List.of(THREAD_NAME), Limiter.maxAtOnce(1)).get(0).unwrap());
  }

  @Test
  void aNamedTaskRunsOnAThreadNamedAfterItsNurseryAndItself() {
    String name =
        Nursery.builder()
            .name("dash")
            .run(n -> {
              ResultCapture<String> users = n.startSoon("users", THREAD_NAME);
              users.waitDone();
              return users.result();
            });
    assertEquals("dash/users", name);
  }

  @Test
  void resultOfACancelledHandleSaysItWasCancelled() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<Void> task =
          n.startSoon(() -> {
            started.countDown();
            Thread.sleep(BlockedThreads.FOREVER);
          });
      started.await();
      task.cancel();
      task.waitDone();
      TaskFailedException e = assertThrows(TaskFailedException.class, task::result);
      assertTrue(e.getMessage().startsWith("task 'task-1' was cancelled: "), e.getMessage());
    });
  }

  @Test
  void resultOfAFailedHandleSaysItFailed() throws Exception {
    ResultCapture<Void> task =
        ResultCapture.builder()
            .name("fails")
            .suppressException()
            .build(
                (VoidTask)
                    () -> {
                      throw new IllegalStateException("boom");
                    });
    task.run();
    TaskFailedException e = assertThrows(TaskFailedException.class, task::result);
    assertTrue(e.getMessage().startsWith("task 'fails' failed: "), e.getMessage());
  }

  @Test
  void gatherOfANullTaskNamesItsIndex() {
    List<Callable<Integer>> tasks = Arrays.asList(() -> 1, null);
    NullPointerException e = assertThrows(NullPointerException.class, () -> Results.gather(tasks));
    assertEquals("tasks[1] is null", e.getMessage());
    e = assertThrows(NullPointerException.class, () -> Results.gatherOutcomes(tasks));
    assertEquals("tasks[1] is null", e.getMessage());
  }

  /**
   * A collection that yields its task on the first pass and null from then on, as one changed by
   * another thread between the gather's check and its start would.
   */
  private static final class NullOnSecondPass extends AbstractCollection<Callable<Integer>> {
    private int passes;

    @Override
    public Iterator<Callable<Integer>> iterator() {
      Callable<Integer> task = passes++ == 0 ? () -> 1 : null;
      return Collections.singletonList(task).iterator();
    }

    @Override
    public int size() {
      return 1;
    }
  }

  @Test
  void gatherOfATaskThatTurnsNullAfterTheCheckNamesItsIndex() {
    for (Limiter limiter : Arrays.asList(null, Limiter.maxAtOnce(1))) {
      NurseryFailedException e =
          assertThrows(
              NurseryFailedException.class, () -> Results.gather(new NullOnSecondPass(), limiter));
      assertEquals("tasks[0] is null", e.getCause().getMessage(), String.valueOf(limiter));
      e =
          assertThrows(
              NurseryFailedException.class,
              () -> Results.gatherOutcomes(new NullOnSecondPass(), limiter));
      assertEquals("tasks[0] is null", e.getCause().getMessage(), String.valueOf(limiter));
    }
  }
}
