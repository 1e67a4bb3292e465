package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomresult.Nursery;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The leak check itself sees what it must: virtual task threads and the server's threads. */
class NoLeakedThreadsTest {
  @Test
  void seesAVirtualTaskThreadWhileItRunsAndNotAfterTheNurseryReturns() {
    CountDownLatch seen = new CountDownLatch(1);
    Nursery.builder()
        .name("leak-probe")
        .runVoid(n -> {
          n.startSoon("blocked", () -> seen.await());
          assertTrue(NoLeakedThreads.leaked().contains("leak-probe/blocked"));
          seen.countDown();
        });
    assertEquals(java.util.List.of(), NoLeakedThreads.leaked());
  }

  @Test
  void seesTheServerThreadsWhileItRunsAndNotAfterItCloses() throws Exception {
    try (ShopServer server = ShopServer.start()) {
      assertTrue(
          NoLeakedThreads.leaked().stream().anyMatch(name -> name.startsWith("HTTP-Dispatcher")),
          () -> "no dispatcher thread among " + LiveThreads.names());
      assertTrue(server.port() > 0);
    }
    assertEquals(java.util.List.of(), NoLeakedThreads.leaked());
  }
}
