package com.example.greeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryFailedException;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ConcurrentGreeter exists only if the processor ran as the README sets it up. */
class GreeterFacadeTest {
  private final Greeter greeter =
      name -> {
        if (name.isEmpty()) {
          throw new IOException("no name");
        }
        return "Hello, " + name;
      };

  @Test
  void generatedFacadeRunsCallsAndGathersInInputOrder() throws InterruptedException {
    List<String> greetings =
        Nursery.run(n -> {
          ConcurrentGreeter facade = ConcurrentGreeter.of(n, greeter);
          ResultCapture<String> one = facade.greet("Ada");
          ResultCapture<List<String>> all = facade.greetAll(List.of("Bo", "Cy", "Di"), 2);
          Results.waitAll(one, all);
          assertEquals("Hello, Ada", one.result());
          return all.result();
        });
    assertEquals(List.of("Hello, Bo", "Hello, Cy", "Hello, Di"), greetings);
  }

  @Test
  void checkedExceptionOfACallReachesTheCaller() {
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () -> Nursery.run(n -> ConcurrentGreeter.of(n, greeter).greet("")));
    assertSame(IOException.class, e.getCause().getClass());
  }
}
