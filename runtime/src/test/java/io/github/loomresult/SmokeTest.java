package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmokeTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @RepeatedTest(50)
  void basics() throws Exception {
    int v =
        Nursery.run(n -> {
          var a = n.startSoon(() -> 1);
          var b = n.startSoon(() -> 2);
          a.waitDone();
          b.waitDone();
          return a.result() + b.result();
        });
    assertEquals(3, v);

    IOException boom = new IOException("boom");
    CountDownLatch hanging = new CountDownLatch(1);
    ResultCapture<?>[] sibling = new ResultCapture<?>[1];
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  sibling[0] =
                      n.startSoon(() -> {
                        hanging.countDown();
                        Thread.sleep(Duration.ofDays(1));
                      });
                  hanging.await();
                  n.startSoon(() -> {
                    throw boom;
                  });
                  Thread.sleep(Duration.ofDays(1));
                }));
    assertSame(boom, e.getCause());
    assertEquals(1, e.failures().size());
    assertEquals(TaskState.CANCELLED, sibling[0].state());
    assertFalse(Thread.currentThread().isInterrupted());

    Object r =
        Nursery.builder()
            .timeout(Duration.ofMillis(20))
            .moveOnTimeout()
            .run(n -> {
              n.startSoon(() -> Thread.sleep(Duration.ofDays(1)));
              return "x";
            });
    assertEquals("x", r);
    assertThrows(
        NurseryTimeoutException.class,
        () ->
            Nursery.builder()
                .timeout(Duration.ofMillis(5))
                .runVoid(n -> Thread.sleep(Duration.ofDays(1))));

    int port =
        Nursery.run(n -> {
          Integer p =
              n.start(status -> {
                status.started(42);
                return null;
              });
          return p;
        });
    assertEquals(42, port);

    try (Nursery n = Nursery.open()) {
      var x = n.startSoon(() -> "y");
      n.join();
      assertEquals("y", x.result());
    }
    assertThrows(
        IllegalStateException.class,
        () -> {
          try (Nursery n = Nursery.open()) {
            n.startSoon(() -> Thread.sleep(Duration.ofDays(1)));
          }
        });
    assertFalse(Thread.currentThread().isInterrupted());
  }
}
