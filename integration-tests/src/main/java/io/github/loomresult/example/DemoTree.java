package io.github.loomresult.example;

import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryTree;
import io.github.loomresult.ResultCapture;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Prints the live nursery tree while the demo runs, once, a configurable time after the concurrent
 * lookups start: {@code -Dloomresult.demo.treeAfter=PT0.05S} (an ISO-8601 duration). Without the
 * property it does nothing.
 *
 * <pre>{@code
 * // ./mvnw -q -pl integration-tests -am verify -Pdemo -Dloomresult.demo.treeAfter=PT0.05S
 * DemoTree.printLater(nursery, System.out);
 * }</pre>
 */
final class DemoTree {
  static final String PROPERTY = "loomresult.demo.treeAfter";

  private DemoTree() {}

  /** The configured delay, or null; a malformed value is an error naming the property. */
  static Duration delay() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.parse(value.trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "-D" + PROPERTY + " must be an ISO-8601 duration such as PT0.05S, not '" + value + "'",
          e);
    }
  }

  /** Switches the tree on before the nursery opens, if the demo will print it. */
  static void enableIfAsked() {
    if (delay() != null) {
      NurseryTree.enable();
    }
  }

  /**
   * Starts a background task in {@code nursery} that prints the tree after the configured delay (it
   * is cancelled with the nursery's end if that comes first). Returns its handle, or null if no
   * delay is configured.
   */
  static ResultCapture<Void> printLater(Nursery nursery, PrintStream out) {
    Duration delay = delay();
    if (delay == null) {
      return null;
    }
    return nursery.startBackground(() -> {
      Thread.sleep(delay);
      String tree = NurseryTree.dump().toString();
      synchronized (out) { // one block, not interleaved with the progress line
        out.println();
        out.print(tree);
      }
    });
  }
}
