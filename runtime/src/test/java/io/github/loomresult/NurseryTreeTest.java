package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live nursery tree: what a dump of a hung fan-out shows, and what the registry keeps. */
@Timeout(30)
class NurseryTreeTest {
  private static final int WIDTH = 5;

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @BeforeEach
  void enable() {
    NurseryTree.enable();
  }

  @AfterEach
  void disable() {
    NurseryTree.disable();
    NurseryTree.recordOpenStacks(false);
  }

  @Test
  void aDumpOfAHungFanOutFindsEveryWaitingTaskByNameWithItsThreadAndStack() {
    CountDownLatch allWaiting = new CountDownLatch(WIDTH + 1);
    CountDownLatch release = new CountDownLatch(1);
    NurseryTree.Snapshot[] seen = new NurseryTree.Snapshot[1];
    Nursery.builder()
        .name("fan-out")
        .runVoid(n -> {
          for (int i = 0; i < WIDTH; i++) {
            n.startSoon(
                "wait-" + i,
                () -> {
                  allWaiting.countDown();
                  release.await();
                });
          }
          n.startSoon(
              "nests",
              () -> {
                Nursery.builder()
                    .name("inner")
                    .runVoid(inner ->
                        inner.startSoon(
                            "deep",
                            () -> {
                              allWaiting.countDown();
                              release.await();
                            }));
              });
          allWaiting.await();
          seen[0] = NurseryTree.dump();
          release.countDown();
        });
    NurseryTree.Snapshot snapshot = seen[0];

    NurseryTree.NurseryNode fanOut =
        snapshot.nurseries().stream().filter(x -> x.name().equals("fan-out")).findFirst().get();
    assertEquals("open, body running", fanOut.state());
    assertNull(fanOut.parent());
    assertEquals("body", fanOut.tasks().get(0).name());
    for (int i = 0; i < WIDTH; i++) {
      String name = "wait-" + i;
      NurseryTree.TaskNode task =
          fanOut.tasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
      assertEquals(TaskState.RUNNING, task.state());
      assertEquals("fan-out/" + name, task.thread());
      assertTrue(
          task.stack().stream()
              .anyMatch(e -> e.getClassName().equals(CountDownLatch.class.getName())),
          () -> name + " is not shown waiting on the latch: " + task.stack());
    }
    NurseryTree.TaskNode nests =
        fanOut.tasks().stream().filter(t -> t.name().equals("nests")).findFirst().orElseThrow();
    NurseryTree.NurseryNode inner = nests.nested().get(0);
    assertEquals("inner", inner.name());
    assertEquals("fan-out/nests", inner.parent());
    // Its body returns right after starting 'deep', so it may or may not be done yet.
    assertTrue(
        inner.tasks().stream()
            .map(NurseryTree.TaskNode::name)
            .collect(Collectors.toSet())
            .contains("deep"),
        inner::toString);
    assertEquals(
        List.of("fan-out"),
        snapshot.nurseries().stream().map(NurseryTree.NurseryNode::name).toList(),
        "the inner nursery is under its task, not at the top");
    assertEquals(2, snapshot.allNurseries().size());

    List<String> expected =
        IntStream.range(0, WIDTH)
            .mapToObj(i -> "  task 'wait-" + i + "' RUNNING on fan-out/wait-" + i)
            .toList();
    String text = snapshot.toString();
    for (String line : expected) {
      assertTrue(text.contains(line + "\n"), () -> line + " missing from\n" + text);
    }
    assertTrue(text.contains("    nursery 'inner' open, "), text);
    assertTrue(text.contains("      task 'deep' RUNNING on inner/deep"), text);
  }

  @Test
  void anEndedNurseryLeavesTheRegistry() {
    Nursery.runVoid(n -> {
      assertEquals(1, NurseryTree.registeredCount());
      n.startSoon(() -> "done");
    });
    assertEquals(0, NurseryTree.registeredCount());
    assertTrue(NurseryTree.dump().nurseries().isEmpty());
  }

  @Test
  void aNurseryOpenedWhileTheTreeIsOffIsNotRegistered() {
    NurseryTree.disable();
    Nursery.runVoid(n -> {
      assertEquals(0, NurseryTree.registeredCount());
      assertTrue(NurseryTree.dump().toString().contains("the tree is disabled"));
    });
  }

  @Test
  void openStacksShowWhereTheNurseryWasOpened() {
    NurseryTree.recordOpenStacks(true);
    Nursery.builder()
        .name("traced")
        .runVoid(n -> {
          NurseryTree.NurseryNode node = NurseryTree.dump().nurseries().get(0);
          assertTrue(
              node.openedAt().stream()
                  .anyMatch(
                      e -> e.getMethodName().equals("openStacksShowWhereTheNurseryWasOpened")),
              node::toString);
        });
  }

  @Test
  void theMBeanDumpsTheTree() throws Exception {
    NurseryTree.registerMBean();
    NurseryTree.registerMBean(); // idempotent
    ObjectName name = new ObjectName(NurseryTree.MBEAN_NAME);
    var server = ManagementFactory.getPlatformMBeanServer();
    assertEquals(true, server.getAttribute(name, "Enabled"));
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Nursery.builder()
        .name("jmx")
        .runVoid(n -> {
          n.startSoon(
              "visible",
              () -> {
                running.countDown();
                release.await();
              });
          running.await();
          String dump = (String) server.invoke(name, "dump", null, null);
          assertTrue(dump.contains("task 'visible' RUNNING on jmx/visible"), dump);
          release.countDown();
        });
    server.invoke(name, "disable", null, null);
    assertFalse(NurseryTree.isEnabled());
    server.invoke(name, "enable", null, null);
    assertTrue(NurseryTree.isEnabled());
  }
}
