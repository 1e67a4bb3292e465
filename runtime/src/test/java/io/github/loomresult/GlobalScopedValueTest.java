package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ScopedValue}s named once for the whole application reach the tasks of every nursery opened
 * afterwards (JDK 25+). It changes every nursery of the JVM, so it runs in a surefire execution of
 * its own.
 */
class GlobalScopedValueTest {
  private static final ScopedValue<String> REQUEST = ScopedValue.newInstance();

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void valuesNamedForTheApplicationReachEveryNurseryAndResultsCall() throws Exception {
    ContextPropagation.carryScopedValues(REQUEST);
    ContextPropagation.carryScopedValues(REQUEST); // named twice, carried once
    List<String> seen =
        ScopedValue.where(REQUEST, "req-1")
            .call(() ->
                Nursery.run(n -> {
                  ResultCapture<String> direct = n.startSoon(REQUEST::get);
                  List<String> mapped = Results.map(List.of("a", "b"), s -> s + REQUEST.get());
                  direct.waitDone();
                  return List.of(direct.result(), mapped.get(0), mapped.get(1));
                }));
    assertEquals(List.of("req-1", "areq-1", "breq-1"), seen);
    List<String> gathered =
        ScopedValue.where(REQUEST, "req-2")
            .call(() -> Results.map(List.of("c"), s -> s + REQUEST.get(), Limiter.maxAtOnce(1)));
    assertEquals(List.of("creq-2"), gathered);
  }
}
