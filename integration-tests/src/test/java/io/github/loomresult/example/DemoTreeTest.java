package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.*;

import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryTree;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.test.LoomResultExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo's tree printout, switched on by a system property. */
@ExtendWith(LoomResultExtension.class)
@Timeout(30)
class DemoTreeTest {
  @AfterEach
  void clear() {
    System.clearProperty(DemoTree.PROPERTY);
  }

  @Test
  void printsTheTreeWithTheRunningLookupsAfterTheConfiguredTime() throws Exception {
    System.setProperty(DemoTree.PROPERTY, "PT0S");
    DemoTree.enableIfAsked();
    assertTrue(NurseryTree.isEnabled());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    CountDownLatch release = new CountDownLatch(1);
    Nursery.builder()
        .name("demo")
        .runVoid(n -> {
          n.startSoon("price-SKU-7", () -> release.await());
          ResultCapture<Void> printer = DemoTree.printLater(n, out);
          printer.waitDone();
          release.countDown();
        });
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("nursery 'demo' open, body running"), printed);
    assertTrue(printed.contains("task 'price-SKU-7' RUNNING on demo/price-SKU-7"), printed);
  }

  @Test
  void withoutThePropertyNothingIsStarted() {
    Nursery.runVoid(n -> assertNull(DemoTree.printLater(n, System.out)));
  }

  @Test
  void aMalformedDelayIsAnErrorNamingTheProperty() {
    System.setProperty(DemoTree.PROPERTY, "50ms");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, DemoTree::delay);
    assertEquals(
        "-Dloomresult.demo.treeAfter must be an ISO-8601 duration such as PT0.05S, not '50ms'",
        e.getMessage());
  }
}
