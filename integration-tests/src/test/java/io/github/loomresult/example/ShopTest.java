package io.github.loomresult.example;

import io.github.loomresult.ResultCapture;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A running {@link ShopServer} and an HTTP client for each test, both closed after it, and the leak
 * check.
 */
@ExtendWith(NoLeakedThreads.class)
abstract class ShopTest {
  ShopServer server;
  HttpClient http;
  HttpProductCatalog catalog;

  @BeforeEach
  void startShop() throws Exception {
    server = ShopServer.start();
    http = newClient();
    catalog = new HttpProductCatalog(http, server.baseUri());
  }

  @AfterEach
  void stopShop() {
    try {
      if (http != null) {
        http.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Waits for {@code handle} and returns its value. */
  static <T> T valueOf(ResultCapture<T> handle) throws InterruptedException {
    handle.waitDone();
    return handle.result();
  }

  static List<String> skus(int n) {
    return IntStream.range(0, n).mapToObj(i -> "SKU-" + i).toList();
  }

  static List<Product> products(List<String> skus) {
    return skus.stream().map(Product::forSku).toList();
  }

  /** The SKU of a request for {@code /products/{sku}}, else {@code ""}. */
  static String sku(ShopServer.Request request) {
    String path = request.path();
    return path.startsWith("/products/") ? path.substring("/products/".length()) : "";
  }
}
