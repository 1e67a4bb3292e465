package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.loomresult.Nursery;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server itself runs as a task of the nursery, started with the start protocol. */
@ExtendWith(NoLeakedThreads.class)
class StartProtocolTest {
  @Test
  void serverStartedInTheNurseryServesTheFanOutAndStopsWhenCancelled() {
    List<String> skus = ShopTest.skus(100);

    List<Product> products =
        Nursery.run(n -> {
          int port =
              n.start(status -> {
                try (ShopServer server = ShopServer.start()) {
                  status.started(server.port()); // start() returns here; we keep serving
                  server.awaitClose(); // until the nursery is cancelled
                }
                return null;
              });
          List<Product> found;
          try (HttpClient http = ShopTest.newClient()) {
            var catalog = new HttpProductCatalog(http, URI.create("http://127.0.0.1:" + port));
            found =
                ShopTest.valueOf(
                    ConcurrentProductCatalog.of(n, catalog).lookupAllByString(skus, 10));
          }
          n.cancel(); // stops the server task; the nursery then returns normally
          return found;
        });

    assertEquals(ShopTest.products(skus), products);
  }
}
