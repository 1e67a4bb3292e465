package io.github.loomresult.context.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.loomresult.Limiter;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import io.github.loomresult.TaskState;
import io.github.loomresult.TaskStatus;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The accessors registered with Micrometer's global {@link ContextRegistry} (SLF4J's MDC through
 * context-propagation's own {@link Slf4jThreadLocalAccessor}, and a plain {@code ThreadLocal})
 * reach tasks through the {@link MicrometerContext} this module registers with the service loader.
 */
class MicrometerContextTest {
  private static final Logger log = LoggerFactory.getLogger(MicrometerContextTest.class);
  private static final ThreadLocal<@Nullable String> TENANT = new ThreadLocal<>();
  private static CapturedLog lines;

  @BeforeAll
  static void register() {
    ContextRegistry.getInstance()
        .registerThreadLocalAccessor(new Slf4jThreadLocalAccessor())
        .registerThreadLocalAccessor("test.tenant", TENANT);
    lines = CapturedLog.attach();
  }

  @BeforeEach
  void clean() {
    lines.list.clear();
    MDC.clear();
    TENANT.remove();
  }

  @AfterEach
  void tidy() {
    MDC.clear();
    TENANT.remove();
  }

  @Test
  void mdcReachesTheLinesOfTasksStartedEveryWay() throws Exception {
    MDC.put("requestId", "r-1");
    Nursery.runVoid(n -> {
      n.startSoon(() -> log.info("soon"));
      n.start((TaskStatus<Object> status) -> {
        log.info("start");
        status.started(null);
        return null;
      });
      CountDownLatch backgroundRan = new CountDownLatch(1);
      n.startBackground(() -> {
        log.info("background");
        backgroundRan.countDown();
      });
      backgroundRan.await(); // else it may be cancelled before it runs, when the body ends
    });
    Results.map(
        List.of(1, 2, 3),
        i -> {
          log.info("map " + i);
          return i;
        },
        Limiter.maxAtOnce(1));
    String caller = Thread.currentThread().getName();
    for (String message : List.of("soon", "start", "background", "map 1", "map 2", "map 3")) {
      assertEquals(Map.of("requestId", "r-1"), lines.mdcOf(message), message);
      assertNotEquals(caller, lines.threadOf(message), message);
    }
    assertEquals("r-1", MDC.get("requestId")); // the caller's own MDC is left as it was
  }

  @Test
  void eachTaskLogsWithItsStartersMdcAndNothingLeaksBetweenTasksOnOneThread() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ResultCapture<Void>> queued = new AtomicReference<>();
    Nursery.builder()
        .maxAtOnce(1)
        .runVoid(n -> {
          MDC.put("requestId", "a");
          n.startSoon(() -> {
            running.countDown();
            release.await();
            MDC.put("setInside", "by a"); // must not reach the tasks after it on this thread
            log.info("task a");
            return null;
          });
          running.await();
          MDC.put("requestId", "b");
          queued.set(n.startSoon(() -> log.info("task b")));
          MDC.clear();
          n.startSoon(() -> log.info("task c"));
          assertEquals(TaskState.PENDING, queued.get().state());
          release.countDown();
        });
    assertEquals(Map.of("requestId", "a", "setInside", "by a"), lines.mdcOf("task a"));
    assertEquals(Map.of("requestId", "b"), lines.mdcOf("task b"));
    assertEquals(Map.of(), lines.mdcOf("task c"));
    // b ran on a's thread: the slot and the thread are handed over.
    assertEquals(lines.threadOf("task a"), lines.threadOf("task b"));
  }

  @Test
  void aRegisteredThreadLocalReachesNestedNurseries() {
    TENANT.set("acme");
    String seen =
        Nursery.run(n ->
            valueOf(
                n.startSoon(() -> Nursery.run(inner -> valueOf(inner.startSoon(TENANT::get))))));
    assertEquals("acme", seen);
  }

  @Test
  void aNurseryCanUseARegistryOfItsOwn() {
    ThreadLocal<@Nullable String> own = new ThreadLocal<>();
    ContextRegistry registry = new ContextRegistry().registerThreadLocalAccessor("own", own);
    own.set("mine");
    try {
      String seen =
          Nursery.builder()
              .threadContext(new MicrometerContext(registry))
              .run(n -> valueOf(n.startSoon(own::get)));
      assertEquals("mine", seen);
      assertNull(Nursery.run(n -> valueOf(n.startSoon(own::get))));
    } finally {
      own.remove();
    }
  }

  private static <T> T valueOf(ResultCapture<T> task) throws InterruptedException {
    task.waitDone();
    return task.result();
  }
}
