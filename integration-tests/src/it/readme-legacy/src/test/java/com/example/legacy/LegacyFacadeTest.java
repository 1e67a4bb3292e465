package com.example.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The facades of interfaces with deprecated, raw-typed and inherited methods run their calls. */
class LegacyFacadeTest {

  @Test
  @SuppressWarnings({"deprecation", "removal", "rawtypes"})
  void deprecatedAndRawTypedMethodsRun() {
    Catalog catalog =
        new Catalog() {
          @Override
          @Deprecated
          public String title(String id) {
            return "title " + id;
          }

          @Override
          @Deprecated(forRemoval = true)
          public int price(String id, int quantity) {
            return quantity * 2;
          }

          @Override
          public List tags(Map filter) {
            return List.of(filter.size());
          }

          @Override
          public String current(String id) {
            return "current " + id;
          }
        };
    List<Object> values =
        Nursery.run(n -> {
          ConcurrentCatalog facade = ConcurrentCatalog.of(n, catalog);
          ResultCapture<String> title = facade.title("a");
          ResultCapture<Integer> price = facade.price("a", 3);
          ResultCapture<List> tags = facade.tags(Map.of("k", "v"));
          ResultCapture<String> current = facade.current("b");
          Results.waitAll(title, price, tags, current);
          return List.of(title.result(), price.result(), tags.result(), current.result());
        });
    assertEquals(List.of("title a", 6, List.of(1), "current b"), values);
  }

  @Test
  void inheritedPlainMethodsRun() {
    AtomicInteger pings = new AtomicInteger();
    WrappedClient client =
        new WrappedClient() {
          @Override
          public String fetch(String key) {
            return "fetched " + key;
          }

          @Override
          public void ping() {
            pings.incrementAndGet();
          }

          @Override
          public Integer apply(String s) {
            return s.length();
          }

          @Override
          public String call() {
            return "called";
          }
        };
    List<Object> values =
        Nursery.run(n -> {
          ConcurrentWrappedClient facade = ConcurrentWrappedClient.of(n, client);
          ResultCapture<String> fetched = facade.fetch("k");
          ResultCapture<Void> ping = facade.ping();
          ResultCapture<List<Integer>> lengths = facade.applyAll(List.of("a", "bb"));
          ResultCapture<String> called = facade.call();
          Results.waitAll(fetched, ping, lengths, called);
          return List.of(fetched.result(), lengths.result(), called.result());
        });
    assertEquals(List.of("fetched k", List.of(1, 2), "called"), values);
    assertEquals(1, pings.get());
  }
}
