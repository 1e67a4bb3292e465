package io.github.loomresult.example;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The catalogue and the prices over HTTP, against a {@link ShopServer}: the real, blocking
 * implementation that the generated facades run concurrently.
 *
 * <pre>{@code
 * try (HttpClient http = HttpClient.newHttpClient()) {
 *   HttpProductCatalog catalog = new HttpProductCatalog(http, server.baseUri());
 *   Product p = catalog.lookup("SKU-1");
 * }
 * }</pre>
 */
public final class HttpProductCatalog implements ProductCatalog, PriceService {
  private final ShopClient client;
  private final URI base;

  /** A catalogue at {@code base}, such as {@code http://127.0.0.1:8080}. */
  public HttpProductCatalog(HttpClient http, URI base) {
    this.client = new ShopClient(http, base);
    this.base = base;
  }

  @Override
  public Product lookup(String sku) throws IOException, InterruptedException {
    return Product.parse(client.get("/products/" + encode(sku)));
  }

  @Override
  public Product lookup(int id) throws IOException, InterruptedException {
    return Product.parse(client.get("/products/by-id/" + id));
  }

  @Override
  public List<Product> search(String query, int limit) throws IOException, InterruptedException {
    String body = client.get("/search?q=" + encode(query) + "&limit=" + limit);
    return body.lines().map(Product::parse).toList();
  }

  @Override
  public void restock(String sku, int quantity) throws IOException, InterruptedException {
    client.post("/stock/" + encode(sku) + "?quantity=" + quantity);
  }

  @Override
  public Product price(String sku) throws IOException, InterruptedException {
    return lookup(sku);
  }

  @Override
  public String describe() {
    return "catalogue at " + base;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
