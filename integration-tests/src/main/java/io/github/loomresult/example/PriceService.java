package io.github.loomresult.example;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;

/**
 * Prices for a price list where one bad SKU must not spoil the rest: {@code @Concurrent} on the
 * interface with {@code suppressException = true}, so a failed call keeps its exception in its
 * handle instead of cancelling its siblings, and the gather method runs at most 16 calls at once.
 *
 * <pre>{@code
 * Nursery.builder().maxAtOnce(16).runVoid(n -> {
 *   ConcurrentPriceService prices = ConcurrentPriceService.of(n, service);
 *   List<ResultCapture<Product>> handles = skus.stream().map(prices::price).toList();
 *   ...
 * });
 * }</pre>
 */
@Concurrent(suppressException = true, maxAtOnce = 16)
public interface PriceService {
  /** The current price of {@code sku}, with its product. */
  Product price(String sku) throws IOException, InterruptedException;
}
