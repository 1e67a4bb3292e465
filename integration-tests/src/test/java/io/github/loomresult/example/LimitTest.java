package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomresult.Limiter;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits, as the server sees them. */
class LimitTest extends ShopTest {
  /**
   * Holds requests in batches of {@code limit} until the whole batch has arrived (the last batch:
   * until every request has), so a working limit is reached exactly in every batch and a broken one
   * shows as a higher peak.
   */
  private void holdInBatchesOf(int limit, int total) {
    server.plan(r -> {
      int batchEnd = Math.min(total, (r.index() / limit + 1) * limit);
      server.stats().require(s -> s.arrived() >= batchEnd, "request " + batchEnd + " arrives");
      return Reply.ok();
    });
  }

  @Test
  void gatherWithMaxAtOnceNeverHasMoreRequestsInFlight() {
    List<String> skus = skus(120);
    holdInBatchesOf(8, skus.size());

    List<Product> products =
        Nursery.run(
            n -> valueOf(ConcurrentProductCatalog.of(n, catalog).lookupAllByString(skus, 8)));

    assertEquals(products(skus), products);
    assertEquals(8, server.stats().peakInFlight());
  }

  @Test
  void gatherUsesTheDefaultLimitOfTheAnnotation() {
    List<String> skus = skus(100);
    holdInBatchesOf(16, skus.size());

    List<Product> products =
        Nursery.run(n -> valueOf(ConcurrentPriceService.of(n, catalog).priceAll(skus)));

    assertEquals(products(skus), products);
    assertEquals(16, server.stats().peakInFlight()); // @Concurrent(maxAtOnce = 16)
  }

  @Test
  void nurseryLimiterAlsoLimitsPerCallFacadeMethods() throws InterruptedException {
    List<String> skus = skus(60);
    holdInBatchesOf(5, skus.size());
    List<ResultCapture<Product>> handles = new ArrayList<>();

    Nursery.builder()
        .maxAtOnce(5)
        .runVoid(n -> {
          ConcurrentProductCatalog facade = ConcurrentProductCatalog.of(n, catalog);
          skus.forEach(sku -> handles.add(facade.lookup(sku)));
        });

    Results.waitAll(handles);
    assertEquals(5, server.stats().peakInFlight());
  }

  @Test
  void rateLimitSpacesTheRequestsTheServerReceives() {
    double rate = 40;
    int burst = 4;
    int calls = 24;
    long before = System.nanoTime();
    Limiter limiter = Limiter.maxPerSecond(rate, burst);

    Nursery.builder()
        .limiter(limiter)
        .runVoid(n -> {
          ConcurrentProductCatalog facade = ConcurrentProductCatalog.of(n, catalog);
          skus(calls).forEach(facade::lookup);
        });
    long elapsed = System.nanoTime() - before;

    List<Long> arrivals = new ArrayList<>(server.stats().arrivalNanos());
    arrivals.sort(null);
    assertEquals(calls, arrivals.size());
    // The k-th request cannot arrive before the k-th token: the first `burst` at once, then one
    // every 1/rate seconds. Wall-clock bounds, so only the one that cannot be broken is strict.
    for (int k = burst; k < calls; k++) {
      long earliest = (long) ((k - burst + 1) / rate * 1e9);
      long at = arrivals.get(k) - before;
      assertTrue(
          at >= earliest - 1_000_000,
          "request " + k + " arrived " + at / 1_000_000 + " ms in, before its token");
    }
    long expected = (long) ((calls - burst) / rate * 1e9);
    assertTrue(
        elapsed < expected + Duration.ofSeconds(10).toNanos(), "took far too long: " + elapsed);
  }
}
