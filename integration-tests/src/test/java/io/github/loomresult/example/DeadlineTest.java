package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A deadline that moves on: the calls that answered in time keep their values. */
class DeadlineTest extends ShopTest {
  // Real time is what this test is about, so the fast calls (answered at once) must finish before
  // it: 3 s leaves them a wide margin on a loaded 2-core machine (FaultRunTest needed 4 s for 2,000
  // calls), at the price of the slow calls hanging that long.
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @Test
  void deadlineCancelsSlowCallsAndMovesOnWithThePartialResults() throws InterruptedException {
    List<String> skus = skus(12);
    // Every third SKU never answers; the others answer at once.
    server.plan(r -> Integer.parseInt(sku(r).substring(4)) % 3 == 2 ? Reply.hang() : Reply.ok());
    List<ResultCapture<Product>> handles = new ArrayList<>();

    long start = System.nanoTime();
    Nursery.builder()
        .name("quotes")
        .timeout(TIMEOUT)
        .moveOnTimeout()
        .runVoid(n -> {
          ConcurrentProductCatalog facade = ConcurrentProductCatalog.of(n, catalog);
          for (String sku : skus) {
            handles.add(facade.lookup(sku));
          }
        });
    long elapsed = System.nanoTime() - start;

    assertTrue(elapsed >= TIMEOUT.toNanos(), "returned before the deadline");
    List<Product> inTime = new ArrayList<>();
    for (int i = 0; i < skus.size(); i++) {
      ResultCapture<Product> h = handles.get(i);
      if (i % 3 == 2) {
        assertEquals(TaskState.CANCELLED, h.state(), skus.get(i));
      } else {
        assertEquals(TaskState.SUCCEEDED, h.state(), skus.get(i));
        inTime.add(h.result());
      }
    }
    assertEquals(8, inTime.size());
    assertEquals(Product.forSku("SKU-0"), inTime.get(0));
    server.stats().require(s -> s.abandoned() == 4, "the slow calls' connections close");
    assertEquals(8, server.stats().answered());
  }
}
