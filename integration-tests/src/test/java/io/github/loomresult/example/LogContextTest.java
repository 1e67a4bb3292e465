package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.loomresult.Limiter;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * MDC fields set in the request reach the log lines written inside tasks, generated facades and
 * {@code Results.map} under a limiter, and never another task's lines: SLF4J, Logback and
 * Micrometer's context-propagation, set up as the README's "Context" section says.
 */
class LogContextTest {
  private static final Logger log = LoggerFactory.getLogger(LogContextTest.class);
  private static final int REQUESTS = 8;
  private static final int CALLS_PER_REQUEST = 40;

  private CapturedLog lines;

  @BeforeEach
  void setUp() {
    ShopDemo.carryMdcIntoTasks();
    lines = CapturedLog.attach();
    MDC.clear();
  }

  @AfterEach
  void tearDown() {
    lines.detach();
    MDC.clear();
  }

  @Test
  void registeringTheMdcAccessorTwiceKeepsOne() {
    ShopDemo.carryMdcIntoTasks();
    long accessors =
        ContextRegistry.getInstance().getThreadLocalAccessors().stream()
            .filter(a -> a.key().equals(Slf4jThreadLocalAccessor.KEY))
            .count();
    assertEquals(1, accessors);
  }

  @Test
  void facadeCallsUnderTheirLimiterLogWithTheirRequestsFieldsOnly() {
    PriceService prices =
        sku -> {
          log.info("price " + sku);
          return Product.forSku(sku);
        };
    // Concurrent requests, each with its own id, each fanning out through its facade (at most 16
    // at once): a line belongs to its own request and to no other.
    Nursery.runVoid(server -> {
      for (int r = 0; r < REQUESTS; r++) {
        String request = "req-" + r;
        server.startSoon(() -> {
          MDC.put("requestId", request);
          Nursery.runVoid(n -> {
            ConcurrentPriceService facade = ConcurrentPriceService.of(n, prices);
            for (int i = 0; i < CALLS_PER_REQUEST; i++) {
              facade.price(request + "/SKU-" + i);
            }
          });
        });
      }
    });
    for (int r = 0; r < REQUESTS; r++) {
      for (int i = 0; i < CALLS_PER_REQUEST; i++) {
        String request = "req-" + r;
        assertEquals(Map.of("requestId", request), lines.mdcOf("price " + request + "/SKU-" + i));
      }
    }
  }

  @Test
  void resultsMapUnderMaxAtOnceLogsWithTheCallersFields() {
    MDC.put("requestId", "r-map");
    MDC.put("user", "alice");
    List<Integer> doubled =
        Results.map(
            IntStream.range(0, 50).boxed().toList(),
            i -> {
              log.info("item " + i);
              if (i % 2 == 0) {
                MDC.put("leak", "from " + i); // must not reach a later input on this thread
              }
              return 2 * i;
            },
            Limiter.maxAtOnce(3));
    assertEquals(50, doubled.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(Map.of("requestId", "r-map", "user", "alice"), lines.mdcOf("item " + i));
    }
    assertEquals(Map.of("requestId", "r-map", "user", "alice"), MDC.getCopyOfContextMap());
  }

  @Test
  void aTaskStartedWithoutFieldsLogsNoneEvenOnAThreadATaskWithFieldsUsed() {
    List<ResultCapture<Void>> tasks = new ArrayList<>();
    Nursery.builder()
        .maxAtOnce(1)
        .runVoid(n -> {
          for (int i = 0; i < 20; i++) {
            if (i % 2 == 0) {
              MDC.put("requestId", "even-" + i);
            } else {
              MDC.clear();
            }
            int id = i;
            tasks.add(n.startSoon(() -> log.info("task " + id)));
          }
        });
    for (int i = 0; i < 20; i++) {
      assertEquals(
          i % 2 == 0 ? Map.of("requestId", "even-" + i) : Map.of(), lines.mdcOf("task " + i));
    }
  }
}
