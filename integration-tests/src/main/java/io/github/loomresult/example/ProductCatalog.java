package io.github.loomresult.example;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;
import java.util.List;

/**
 * The shop's catalogue: a plain synchronous service. The processor writes {@code
 * ConcurrentProductCatalog} from it, with {@code lookupAllByString}/{@code lookupAllByInt} for the
 * overloads and {@code SearchArgs}/{@code RestockArgs} records for the methods with two parameters.
 *
 * <pre>{@code
 * List<Product> products = Nursery.run(n ->
 *     ConcurrentProductCatalog.of(n, catalog).lookupAllByString(skus, 16).result());
 * }</pre>
 */
public interface ProductCatalog {
  /** The product under {@code sku}. */
  @Concurrent
  Product lookup(String sku) throws IOException, InterruptedException;

  /** The product with the numeric id {@code id}. */
  @Concurrent
  Product lookup(int id) throws IOException, InterruptedException;

  /** Up to {@code limit} products matching {@code query}. */
  @Concurrent
  List<Product> search(String query, int limit) throws IOException, InterruptedException;

  /** Adds {@code quantity} items of {@code sku} to the stock. */
  @Concurrent
  void restock(String sku, int quantity) throws IOException, InterruptedException;

  /** Not concurrent: the facade leaves it out. */
  String describe();
}
