package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code jdk.jfr} and {@code java.management} are optional: in a JVM that has only {@code
 * java.base}, failures, cancellations, limiter waits, deadlines and the tree work, and no class
 * that refers to the missing modules is loaded.
 */
@Timeout(120)
class WithoutOptionalModulesTest {
  @Test
  void theRuntimeWorksWithJavaBaseAloneAndLoadsNoFlightRecorderClass() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        Path.of("target", "classes").toAbsolutePath()
            + File.pathSeparator
            + Path.of("target", "test-classes").toAbsolutePath();
    Process p =
        new ProcessBuilder(
                java,
                "--limit-modules",
                "java.base",
                "-Xlog:class+load=info",
                "-cp",
                classPath,
                WithoutOptionalModulesMain.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(0, p.exitValue(), output);
    List<String> lines = output.lines().toList();
    assertTrue(lines.contains("ok"), output);
    assertTrue(
        lines.contains(
            "the nursery tree's MBean needs the module java.management, which is not available"),
        output);
    assertTrue(
        lines.stream().anyMatch(l -> l.contains(" io.github.loomresult.Observability ")),
        "the observation hooks did run");
    for (String absent :
        List.of(
            "io.github.loomresult.FlightEvents",
            "io.github.loomresult.NurseryEvent",
            "io.github.loomresult.TaskFailedEvent",
            "io.github.loomresult.TaskCancelledEvent",
            "io.github.loomresult.LimiterWaitEvent",
            "io.github.loomresult.DeadlineExpiredEvent",
            "io.github.loomresult.NurseryTreeMBean")) {
      assertFalse(
          lines.stream().anyMatch(l -> l.contains(" " + absent + " ")),
          () -> absent + " was loaded:\n" + output);
    }
  }
}
