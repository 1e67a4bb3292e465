package io.github.loomresult.example;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a thread behind: a task thread of loomresult (named {@code
 * nursery/task}), a handler or dispatcher thread of the shop's HTTP server, or a thread of the
 * JDK's HTTP client. Runs after the test's own {@code @AfterEach} methods, which close servers and
 * clients.
 *
 * <p>Closing an {@code HttpClient} or {@code HttpServer} ends its threads, but a platform thread
 * may take a moment to finish exiting after that, so the check retries for a few seconds before it
 * fails; a thread that stays is a leak.
 */
public final class NoLeakedThreads implements AfterEachCallback {
  static final Predicate<String> OURS =
      name ->
          name.contains("/") // nursery/task: every loomresult task thread
              || name.startsWith("shop-server-")
              || name.startsWith("HTTP-Dispatcher")
              || name.startsWith("HttpClient-");

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    List<String> leaked = leaked();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!leaked.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling a condition with a deadline, not ordering events
      leaked = leaked();
    }
    if (!leaked.isEmpty()) {
      throw new AssertionError("threads left behind by the test: " + leaked);
    }
  }

  static List<String> leaked() {
    return LiveThreads.names().stream().filter(OURS).toList();
  }
}
