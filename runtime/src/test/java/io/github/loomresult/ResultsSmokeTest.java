package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResultsSmokeTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @RepeatedTest(30)
  void basics() throws Exception {
    List<Integer> inputs = IntStream.range(0, 50).boxed().toList();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<Integer> out =
        Results.map(
            inputs,
            i -> {
              int now = running.incrementAndGet();
              peak.accumulateAndGet(now, Math::max);
              Thread.yield();
              running.decrementAndGet();
              return i * 2;
            },
            Limiter.maxAtOnce(3));
    assertEquals(inputs.stream().map(i -> i * 2).toList(), out);
    assertTrue(peak.get() <= 3, "peak " + peak.get());
    assertTrue(leaks.peakAliveThreads() <= 3, "threads " + leaks.peakAliveThreads());

    IOException boom = new IOException("x");
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Results.map(
                    inputs,
                    i -> {
                      if (i == 7) throw boom;
                      if (i > 7) Thread.sleep(Duration.ofDays(1));
                      return i;
                    }));
    assertSame(boom, e.getCause());

    List<Outcome<Integer>> outcomes =
        Results.gatherOutcomes(
            List.<Callable<Integer>>of(
                () -> 1,
                () -> {
                  throw boom;
                },
                () -> 3));
    assertEquals(3, outcomes.size());
    assertSame(boom, ((Outcome.Failure<Integer>) outcomes.get(1)).exception());

    try (Stream<Mapped<Integer, Integer>> s =
        Results.mapStream(
            inputs,
            i -> {
              if (i > 0) Thread.sleep(Duration.ofDays(1));
              return i;
            },
            MapOrder.COMPLETION,
            Limiter.maxAtOnce(4))) {
      assertEquals(0, s.findFirst().orElseThrow().value());
    }

    Future<String> f = new Future<>();
    Future<String> g = new Future<>();
    g.setResult("g");
    f.setResult("f");
    assertSame(f, Results.waitAny(List.of(f, g)));
    Nursery.runVoid(n -> {
      var a = n.startSoon(() -> Thread.sleep(Duration.ofDays(1)));
      var b = n.startSoon(() -> "b");
      assertSame(b, Results.waitAny(List.of(a, b)));
      a.cancel();
      try (var ch = Results.inCompletionOrder(List.of(a, b))) {
        assertNotNull(ch.next());
        assertNotNull(ch.next());
        assertFalse(ch.hasNext());
      }
    });
  }
}
