package io.github.loomresult.test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryTree;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** The extension run on sample test classes through the JUnit engine. */
class LoomResultExtensionTest {
  private static Events run(Class<?> sample) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(sample))
        .execute()
        .testEvents();
  }

  private static Throwable onlyFailure(Events events) {
    List<Event> failed = events.failed().list();
    assertEquals(1, failed.size(), events::toString);
    return failed
        .get(0)
        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow()
        .getThrowable()
        .orElseThrow();
  }

  /** A test that leaves a task running in a nursery it never closes. */
  static class LeakingSample {
    static final CountDownLatch release = new CountDownLatch(1);
    static final CountDownLatch running = new CountDownLatch(1);
    static Nursery leaked;

    @RegisterExtension
    static final LoomResultExtension loom = LoomResultExtension.withGrace(Duration.ofMillis(50));

    @Test
    void leaves() throws InterruptedException {
      leaked = Nursery.builder().name("leaky").open();
      leaked.startSoon(
          "stays",
          () -> {
            running.countDown();
            release.await();
          });
      running.await();
    }
  }

  @Test
  void aTestThatLeavesATaskThreadAliveFailsNamingItAndShowingTheTree() throws Exception {
    try {
      Throwable failure = onlyFailure(run(LeakingSample.class));
      assertInstanceOf(AssertionError.class, failure);
      assertTrue(failure.getMessage().contains("leaky/stays"), failure.getMessage());
      assertTrue(failure.getMessage().contains("task 'stays' RUNNING"), failure.getMessage());
    } finally {
      LeakingSample.release.countDown();
      // The engine ran the sample on this thread, which opened the nursery: close it here, or
      // it would stay this thread's current nursery (and the parent of later ones).
      IllegalStateException notJoined =
          assertThrows(IllegalStateException.class, LeakingSample.leaked::close);
      assertTrue(notJoined.getMessage().contains("closed without join()"));
    }
  }

  /** A test whose tasks all end. */
  @ExtendWith(LoomResultExtension.class)
  static class CleanSample {
    @Test
    void finishes() {
      Nursery.runVoid(n -> {
        for (int i = 0; i < 10; i++) {
          n.startSoon(() -> "done");
        }
      });
    }
  }

  @Test
  void aTestWhoseTasksAllEndPassesAndTheTreeIsSwitchedBackOff() {
    assertFalse(NurseryTree.isEnabled());
    run(CleanSample.class).assertStatistics(stats -> stats.succeeded(1).failed(0));
    assertFalse(NurseryTree.isEnabled());
  }

  /** A test that hangs in a fan-out until its timeout interrupts it. */
  @ExtendWith(LoomResultExtension.class)
  static class HangingSample {
    @Test
    @Timeout(value = 200, unit = TimeUnit.MILLISECONDS)
    void hangs() {
      Nursery.builder()
          .name("hung-fan-out")
          .runVoid(n -> {
            n.startSoon("stuck-a", () -> new CountDownLatch(1).await());
            n.startSoon("stuck-b", () -> new CountDownLatch(1).await());
          });
    }
  }

  @Test
  void aTimedOutTestCarriesTheNurseryTreeAsItWasBeforeTheInterrupt() {
    Throwable failure = onlyFailure(run(HangingSample.class));
    assertInstanceOf(TimeoutException.class, failure);
    List<Throwable> trees =
        List.of(failure.getSuppressed()).stream()
            .filter(LoomResultExtension.NurseryTreeAtTimeout.class::isInstance)
            .toList();
    assertEquals(1, trees.size(), () -> List.of(failure.getSuppressed()).toString());
    String tree = trees.get(0).getMessage();
    assertTrue(tree.startsWith("loomresult nursery tree at "), tree);
    assertFalse(tree.contains("leaky"), tree);
    assertTrue(tree.contains("nursery 'hung-fan-out'"), tree);
    assertTrue(tree.contains("task 'stuck-a' RUNNING on hung-fan-out/stuck-a"), tree);
    assertTrue(tree.contains("task 'stuck-b' RUNNING on hung-fan-out/stuck-b"), tree);
  }

  @Test
  void aNegativeGraceIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoomResultExtension.withGrace(Duration.ofSeconds(-1)));
    assertEquals("grace must not be negative: PT-1S", e.getMessage());
  }
}
