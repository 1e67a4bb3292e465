package com.example.modular;

import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.util.List;

/**
 * Uses the generated facade and the runtime's API (with its nullness annotations) from a module.
 */
public final class Stocks {
  private Stocks() {}

  /**
   * The stock of every sku, looked up concurrently.
   *
   * @param inventory the inventory to ask
   * @param skus the skus
   * @return the stock of each, in order
   */
  public static List<Integer> all(Inventory inventory, List<String> skus) {
    return Nursery.run(n -> {
      ResultCapture<List<Integer>> all = ConcurrentInventory.of(n, inventory).stockAll(skus);
      Results.waitAll(all);
      return all.result();
    });
  }
}
