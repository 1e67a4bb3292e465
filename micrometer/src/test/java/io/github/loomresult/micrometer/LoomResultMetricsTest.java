package io.github.loomresult.micrometer;

import static org.junit.jupiter.api.Assertions.*;

import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoomResultMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LoomResultMetrics metrics = new LoomResultMetrics();

  @BeforeEach
  void bind() {
    metrics.bindTo(registry);
  }

  @AfterEach
  void unbind() {
    metrics.close();
  }

  private double completed(String nursery, String outcome) {
    return registry
        .get(LoomResultMetrics.COMPLETED)
        .tag("nursery", nursery)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  private double live(String nursery) {
    return registry.get(LoomResultMetrics.LIVE).tag("nursery", nursery).gauge().value();
  }

  @Test
  void countsAndTimesEveryOutcomePerNamedNursery() {
    CountDownLatch running = new CountDownLatch(1);
    Nursery.builder()
        .name("checkout")
        .runVoid(n -> {
          n.startSoon(() -> 1);
          n.startSoon(() -> 2);
          ResultCapture.builder()
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    throw new IllegalStateException("declined");
                  });
          ResultCapture<Void> slow =
              n.startSoon(() -> {
                running.countDown();
                new CountDownLatch(1).await();
              });
          running.await();
          assertTrue(live("checkout") >= 1, "the slow task is live");
          slow.cancel();
        });
    assertEquals(
        4, registry.get(LoomResultMetrics.STARTED).tag("nursery", "checkout").counter().count());
    assertEquals(2, completed("checkout", "succeeded"));
    assertEquals(1, completed("checkout", "failed"));
    assertEquals(1, completed("checkout", "cancelled"));
    assertEquals(0, live("checkout"));
    assertEquals(
        2,
        registry
            .get(LoomResultMetrics.RUN)
            .tag("nursery", "checkout")
            .tag("outcome", "succeeded")
            .timer()
            .count());
    assertEquals(
        1,
        registry
            .get(LoomResultMetrics.RUN)
            .tag("nursery", "checkout")
            .tag("outcome", "cancelled")
            .timer()
            .count());
  }

  @Test
  void showsLiveTasksWhileTheyRun() {
    CountDownLatch running = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    Nursery.builder()
        .name("fan-out")
        .runVoid(n -> {
          for (int i = 0; i < 3; i++) {
            n.startSoon(() -> {
              running.countDown();
              release.await();
            });
          }
          running.await();
          assertEquals(3, live("fan-out"));
          release.countDown();
        });
    assertEquals(0, live("fan-out"));
  }

  @Test
  void timesTheQueueWaitOfTasksThatQueuedForALimiter() {
    CountDownLatch release = new CountDownLatch(1);
    Nursery.builder()
        .name("limited")
        .maxAtOnce(1)
        .runVoid(n -> {
          n.startSoon(() -> release.await());
          n.startSoon(() -> 2);
          n.startSoon(() -> 3);
          release.countDown();
        });
    var wait = registry.get(LoomResultMetrics.QUEUE_WAIT).tag("nursery", "limited").timer();
    assertEquals(2, wait.count(), "the first task took the free slot; two queued");
    assertTrue(wait.totalTime(TimeUnit.NANOSECONDS) > 0);
  }

  @Test
  void nurseriesWithGeneratedNamesShareOneTag() {
    Nursery.runVoid(n -> n.startSoon(() -> 1));
    Nursery.runVoid(n -> n.startSoon(() -> 2));
    assertEquals(2, completed(LoomResultMetrics.UNNAMED, "succeeded"));
  }

  @Test
  void afterCloseNewTasksAreNotCounted() {
    metrics.close();
    Nursery.builder().name("after").runVoid(n -> n.startSoon(() -> 1));
    assertNull(registry.find(LoomResultMetrics.STARTED).tag("nursery", "after").counter());
  }
}
