package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Fan-out through the generated facades: every shape of method, values in input order. */
class FanOutTest extends ShopTest {
  @Test
  void hundredsOfCallsReturnTheirValuesInInputOrder() {
    List<String> skus = skus(300);
    // Later inputs answer sooner, so completion order is not input order.
    server.plan(r -> Reply.after(Duration.ofMillis(20 - r.index() % 20)));

    List<Product> products =
        Nursery.run(n -> valueOf(ConcurrentProductCatalog.of(n, catalog).lookupAllByString(skus)));

    assertEquals(products(skus), products);
    assertEquals(300, server.stats().answered());
    assertEquals(0, server.stats().abandoned());
  }

  @Test
  void perCallHandlesOfHundredsOfCallsAllSucceed() throws InterruptedException {
    List<String> skus = skus(200);
    List<ResultCapture<Product>> handles = new ArrayList<>();

    Nursery.runVoid(n -> {
      ConcurrentProductCatalog facade = ConcurrentProductCatalog.of(n, catalog);
      for (String sku : skus) {
        handles.add(facade.lookup(sku)); // each returns at once
      }
    });

    Results.waitAll(handles); // already done: the nursery waited for them
    assertEquals(products(skus), handles.stream().map(ResultCapture::result).toList());
  }

  @Test
  void overloadsMultiParameterAndVoidMethodsGatherThroughTheirRecords() {
    List<Integer> ids = IntStream.range(0, 40).boxed().toList();
    List<ConcurrentProductCatalog.SearchArgs> searches =
        List.of(
            new ConcurrentProductCatalog.SearchArgs("lamp", 2),
            new ConcurrentProductCatalog.SearchArgs("desk", 3));
    List<ConcurrentProductCatalog.RestockArgs> restocks =
        List.of(
            new ConcurrentProductCatalog.RestockArgs("SKU-1", 5),
            new ConcurrentProductCatalog.RestockArgs("SKU-2", 7));

    record Answers(List<Product> byId, List<List<Product>> found, List<Void> restocked) {}
    Answers answers =
        Nursery.run(n -> {
          ConcurrentProductCatalog facade = ConcurrentProductCatalog.of(n, catalog);
          ResultCapture<List<Product>> byId = facade.lookupAllByInt(ids, 8);
          ResultCapture<List<List<Product>>> found = facade.searchAll(searches);
          ResultCapture<List<Void>> restocked = facade.restockAll(restocks);
          Results.waitAll(byId, found, restocked);
          return new Answers(byId.result(), found.result(), restocked.result());
        });

    assertEquals(products(ids.stream().map(i -> "SKU-" + i).toList()), answers.byId());
    assertEquals(
        List.of(
            products(List.of("lamp-1", "lamp-2")), products(List.of("desk-1", "desk-2", "desk-3"))),
        answers.found());
    assertEquals(Arrays.asList(null, null), answers.restocked());
    assertEquals(40 + 2 + 2, server.stats().answered());
  }

  @Test
  void genericFacadeKeepsTheInterfaceAndMethodTypeParameters() {
    KeyValueStore<Integer, String> store =
        new HttpKeyValueStore<>(http, server.baseUri(), String::valueOf, Function.identity());
    List<Integer> keys = IntStream.range(0, 50).boxed().toList();

    record Answers(List<String> values, List<Integer> lengths) {}
    Answers answers =
        Nursery.run(n -> {
          ConcurrentKeyValueStore<Integer, String> kv = ConcurrentKeyValueStore.of(n, store);
          ResultCapture<List<String>> values = kv.getAll(keys);
          ResultCapture<List<Integer>> lengths =
              kv.viewAll(
                  keys.stream()
                      .map(k ->
                          new ConcurrentKeyValueStore.ViewArgs<Integer, String, Integer>(
                              k, String::length))
                      .toList(),
                  4);
          Results.waitAll(values, lengths);
          return new Answers(values.result(), lengths.result());
        });

    assertEquals(keys.stream().map(k -> "value:" + k).toList(), answers.values());
    assertEquals(keys.stream().map(k -> ("value:" + k).length()).toList(), answers.lengths());
  }
}
