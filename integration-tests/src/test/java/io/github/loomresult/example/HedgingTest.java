package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomresult.Nursery;
import io.github.loomresult.Race;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hedging against a heavy tail, end to end: a fan-out of 50 lookups where the first request for
 * every tenth SKU is slow (held by the server until the test lets it go). Without hedging the
 * fan-out waits for every slow call, so its slowest tenth (its p90 and p99) is the tail; with a
 * hedge after 50 ms, it finishes while every slow call is still held: it waited for none of them.
 * The tests count calls; they never measure time.
 */
class HedgingTest extends ShopTest {
  private static final int CALLS = 50;
  private static final int SLOW = 5;
  private static final Duration HEDGE_AFTER = Duration.ofMillis(50);

  private final HeavyTail tail = new HeavyTail(path -> path.endsWith("0"));

  @Test
  void withoutHedgingTheFanOutWaitsForEverySlowCall() throws Exception {
    server.plan(tail);
    List<String> skus = skus(CALLS);
    List<Product> products =
        Nursery.run(n -> {
          ResultCapture<List<Product>> fanOut =
              n.startSoon(() -> Results.map(skus, catalog::lookup));
          tail.awaitHeld(SLOW);
          server.stats().require(s -> s.answered() == CALLS - SLOW, "the fast calls answered");
          assertFalse(fanOut.isDone(), "the fan-out ended without its slow calls");
          tail.release();
          return valueOf(fanOut);
        });
    assertEquals(products(skus), products);
    assertEquals(SLOW, tail.slowAnswered(), "slow calls the fan-out waited for");
    assertEquals(CALLS, server.stats().arrived(), "no call was repeated");
  }

  @Test
  void withHedgingTheFanOutWaitsForNoSlowCall() throws Exception {
    server.plan(tail);
    List<String> skus = skus(CALLS);
    List<Product> products;
    try {
      products =
          Results.map(
              skus,
              sku ->
                  Race.repeat(2, () -> catalog.lookup(sku))
                      .staggered(HEDGE_AFTER)
                      .maxInFlight(2)
                      .run());
      // The slow requests are still held: none of them can have been what a lookup returned.
      assertEquals(0, tail.slowAnswered(), "slow calls the fan-out waited for");
    } finally {
      tail.release();
    }
    assertEquals(products(skus), products);
    assertEquals(SLOW, tail.held());
    // Every slow call was hedged; a fast call may have been hedged too on a slow machine.
    int arrived = server.stats().arrived();
    assertTrue(arrived >= CALLS + SLOW && arrived <= 2 * CALLS, "arrived: " + arrived);
  }
}
