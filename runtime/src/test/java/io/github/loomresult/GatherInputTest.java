package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a gather takes from its collection: every task, in input order, however the collection
 * reports its size, and a clear error naming the place of a task that is gone by the time the
 * gather takes it.
 */
@Timeout(20)
class GatherInputTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /** The tasks of a list, with whatever size it is told to report. */
  private static final class ClaimedSize<E> extends AbstractCollection<E> {
    private final List<E> elements;
    private final int claimed;

    ClaimedSize(List<E> elements, int claimed) {
      this.elements = elements;
      this.claimed = claimed;
    }

    @Override
    public Iterator<E> iterator() {
      return elements.iterator();
    }

    @Override
    public int size() {
      return claimed;
    }
  }

  /** Four tasks that finish last to first: task i waits for task i + 1 to finish. */
  private static List<Callable<Integer>> finishingInReverse() {
    int n = 4;
    List<CountDownLatch> finished = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      finished.add(new CountDownLatch(1));
    }
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int mine = i;
      tasks.add(() -> {
        if (mine + 1 < n) {
          finished.get(mine + 1).await();
        }
        finished.get(mine).countDown();
        return mine;
      });
    }
    return tasks;
  }

  @Test
  void gatherReturnsTheValuesInInputOrderWhateverSizeTheCollectionReports() {
    for (int claimed : new int[] {0, 1, 4, 100}) {
      for (Limiter limiter : Arrays.asList(null, Limiter.maxAtOnce(4))) {
        String where = "size " + claimed + ", " + limiter;
        assertEquals(
            List.of(0, 1, 2, 3),
            Results.gather(new ClaimedSize<>(finishingInReverse(), claimed), limiter),
            where);
        List<Integer> values = new ArrayList<>();
        for (Outcome<Integer> o :
            Results.gatherOutcomes(new ClaimedSize<>(finishingInReverse(), claimed), limiter)) {
          values.add(o.unwrap());
        }
        assertEquals(List.of(0, 1, 2, 3), values, where);
      }
    }
  }

  /**
   * With one task at a time, the gather takes task 2 only once task 0 has finished: task 0 empties
   * that place first.
   */
  @Test
  void aTaskThatEmptiesALaterPlaceOfItsCollectionFailsTheGatherNamingThatPlace() {
    for (boolean outcomes : new boolean[] {false, true}) {
      List<Callable<Integer>> tasks = new ArrayList<>();
      tasks.add(() -> {
        tasks.set(2, null);
        return 0;
      });
      tasks.add(() -> 1);
      tasks.add(() -> 2);
      NurseryFailedException e =
          assertThrows(
              NurseryFailedException.class,
              () -> {
                if (outcomes) {
                  Results.gatherOutcomes(tasks, Limiter.maxAtOnce(1));
                } else {
                  Results.gather(tasks, Limiter.maxAtOnce(1));
                }
              });
      NullPointerException npe = assertInstanceOf(NullPointerException.class, e.getCause());
      assertEquals("tasks[2] is null", npe.getMessage(), "gatherOutcomes: " + outcomes);
    }
  }
}
