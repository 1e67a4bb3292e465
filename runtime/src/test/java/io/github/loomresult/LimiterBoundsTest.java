package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** W6 at the edges of the limits' ranges: the smallest rates and the largest max-at-once. */
class LimiterBoundsTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void aRateTooSmallToMeasureIsRejectedNamingTheRate() {
    for (double tiny : new double[] {Double.MIN_VALUE, 1e-320, 1e-11}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Limiter.maxPerSecond(tiny, 1));
      assertTrue(e.getMessage().startsWith("maxPerSecond rate must be at least"), e.getMessage());
      assertTrue(e.getMessage().endsWith("was " + tiny), e.getMessage());
    }
  }

  @Test
  void theSmallestAcceptedRateStartsItsBurstThenLimits() {
    LimiterTest.ManualClock clock = new LimiterTest.ManualClock();
    Limiter slow = Limiter.builder().maxPerSecond(1.1e-10, 1).clock(clock).build();
    CountDownLatch gate = new CountDownLatch(1);
    Nursery.builder()
        .limiter(slow)
        .runVoid(n -> {
          List<ResultCapture<Void>> tasks = new ArrayList<>();
          for (int i = 0; i < 100; i++) {
            tasks.add(n.startSoon(() -> gate.await()));
          }
          BlockedThreads.awaitCondition(() -> tasks.get(0).state() == TaskState.RUNNING);
          assertEquals(99, slow.queued());
          for (int i = 1; i < 100; i++) {
            assertEquals(TaskState.PENDING, tasks.get(i).state());
          }
          gate.countDown();
          n.cancel();
        });
  }

  @Test
  void maxAtOnceOfIntegerMaxValueIsALimitThatLetsEveryTaskRun() {
    Limiter all = Limiter.maxAtOnce(Integer.MAX_VALUE);
    assertTrue(all.toString().contains("maxAtOnce=" + Integer.MAX_VALUE), all.toString());
    int tasks = 50;
    CyclicBarrier together = new CyclicBarrier(tasks);
    Nursery.builder()
        .limiter(all)
        .runVoid(n -> {
          for (int i = 0; i < tasks; i++) {
            n.startSoon(() -> together.await());
          }
        });
    assertEquals(0, all.running());
  }
}
