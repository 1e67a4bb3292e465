package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryFailedException;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One failing call cancels its siblings that are still in flight: their HTTP requests are aborted
 * (the server sees every connection closed) and none of them is answered after the failure.
 */
class FailureTest extends ShopTest {
  private static final int CALLS = 50;
  private static final String BAD = "SKU-13";

  /** {@code BAD} fails once every call is in flight; the others would take a minute. */
  private void failOneOnceAllAreInFlight() {
    server.plan(r -> {
      if (sku(r).equals(BAD)) {
        server.stats().require(s -> s.inFlight() == CALLS, "every call is in flight");
        return Reply.fail(503);
      }
      return Reply.after(Duration.ofMinutes(1));
    });
  }

  @Test
  void failingCallCancelsInFlightSiblingsAndTheServerSeesTheirConnectionsClose()
      throws InterruptedException {
    failOneOnceAllAreInFlight();
    List<ResultCapture<Product>> handles = new ArrayList<>();

    NurseryFailedException failed =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  ConcurrentProductCatalog facade = ConcurrentProductCatalog.of(n, catalog);
                  for (String sku : skus(CALLS)) {
                    handles.add(facade.lookup(sku));
                  }
                }));
    int answeredWhenReported = server.stats().answered();

    HttpStatusException cause = assertInstanceOf(HttpStatusException.class, failed.getCause());
    assertEquals(503, cause.status());
    assertSame(cause, handles.get(13).exception()); // the very exception object, typed
    assertEquals(1, failed.failures().size()); // the cancelled siblings are not failures
    for (ResultCapture<Product> h : handles) {
      assertEquals(h == handles.get(13) ? TaskState.FAILED : TaskState.CANCELLED, h.state());
    }
    server.stats().require(s -> s.abandoned() == CALLS - 1, "the siblings' connections close");
    assertEquals(1, answeredWhenReported); // only the failure itself
    assertEquals(1, server.stats().answered()); // and nothing was answered afterwards
    assertEquals(0, server.stats().inFlight());
  }

  @Test
  void failingCallInAGatherCancelsTheRestOfTheGather() throws InterruptedException {
    failOneOnceAllAreInFlight();

    NurseryFailedException failed =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.run(n ->
                    valueOf(
                        ConcurrentProductCatalog.of(n, catalog).lookupAllByString(skus(CALLS)))));
    int answeredWhenReported = server.stats().answered();

    // The gather runs in a nursery of its own inside one task: its failure is nested once.
    NurseryFailedException gather =
        assertInstanceOf(NurseryFailedException.class, failed.getCause());
    assertEquals(503, assertInstanceOf(HttpStatusException.class, gather.getCause()).status());
    server.stats().require(s -> s.abandoned() == CALLS - 1, "the siblings' connections close");
    assertEquals(1, answeredWhenReported);
    assertEquals(1, server.stats().answered());
  }

  @Test
  void checkedExceptionReachesTheCallerTyped() {
    server.plan(r -> sku(r).equals(BAD) ? Reply.fail(404) : Reply.ok());

    HttpStatusException e =
        assertThrows(
            HttpStatusException.class,
            () -> {
              try {
                Nursery.run(n -> ConcurrentProductCatalog.of(n, catalog).lookup(BAD));
              } catch (NurseryFailedException failed) {
                throw failed.rethrowIf(HttpStatusException.class);
              }
            });
    assertEquals(404, e.status());
  }
}
