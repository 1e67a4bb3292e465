package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.TaskCancelledException;
import io.github.loomresult.TaskState;
import org.junit.jupiter.api.Test;

/** Cancelling one call aborts its request only. */
class CancelTest extends ShopTest {
  @Test
  void cancellingOneCallClosesItsConnectionAndLeavesTheOthers() {
    server.plan(r -> sku(r).equals("SKU-1") ? Reply.hang() : Reply.ok());

    record Handles(
        ResultCapture<Product> a, ResultCapture<Product> hung, ResultCapture<Product> c) {}
    Handles h =
        Nursery.run(n -> {
          ConcurrentProductCatalog facade = ConcurrentProductCatalog.of(n, catalog);
          Handles handles =
              new Handles(facade.lookup("SKU-0"), facade.lookup("SKU-1"), facade.lookup("SKU-2"));
          server.stats().require(s -> s.arrived() == 3, "all three requests arrive");
          assertTrue(handles.hung().cancel());
          handles.hung().waitDone();
          server
              .stats()
              .require(s -> s.abandoned() == 1, "the cancelled request's connection closes");
          return handles;
        });

    assertEquals(TaskState.CANCELLED, h.hung().state());
    assertTrue(h.hung().exception() instanceof TaskCancelledException);
    assertEquals(Product.forSku("SKU-0"), h.a().result());
    assertEquals(Product.forSku("SKU-2"), h.c().result());
    assertEquals(2, server.stats().answered());
  }
}
