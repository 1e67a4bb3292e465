package io.github.loomresult.example;

import io.github.loomresult.CompletionChannel;
import io.github.loomresult.Nursery;
import io.github.loomresult.Outcome;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The runnable demo: 200 price lookups against a local {@link ShopServer} (10 to 30 ms each, one of
 * them fails with HTTP 503), first through the generated {@code ConcurrentPriceService} with at
 * most 16 at once, then one after another, and a table of what was measured. A short untimed round
 * of both comes first, so that neither timed run pays for the JIT or the HTTP client's start-up.
 *
 * <p>Run it with {@code ./mvnw -q -pl integration-tests -am verify -Pdemo} (see the README), or
 * from code:
 *
 * <pre>{@code
 * ShopDemo.main(new String[0]); // prints progress, then the table
 * }</pre>
 *
 * <p>A failed lookup is logged (SLF4J, Logback), and its line carries the request id that {@code
 * main} puts in the MDC once, outside every nursery: the tasks carry it (loomresult's
 * context-micrometer module).
 */
public final class ShopDemo {
  static final int CALLS = 200;
  static final int MAX_AT_ONCE = 16;
  static final String FAILING_SKU = "SKU-137";
  static final int WARM_UP_CALLS = 50;

  private static final Logger log = LoggerFactory.getLogger(ShopDemo.class);

  private ShopDemo() {}

  /** MDC fields reach tasks: Micrometer's SLF4J accessor, registered (again: it replaces) once. */
  static void carryMdcIntoTasks() {
    ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
  }

  /** Runs the demo; prints progress and the table to standard output. */
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    List<String> skus = IntStream.range(0, CALLS).mapToObj(i -> "SKU-" + i).toList();
    carryMdcIntoTasks();
    MDC.put("requestId", "demo-1");
    out.printf(
        Locale.ROOT,
        "loomresult demo: %d price lookups over HTTP against a local server (10-30 ms each;"
            + " %s fails with 503)%n%n",
        CALLS,
        FAILING_SKU);
    out.printf(Locale.ROOT, "warming up (%d calls each way, not timed)...%n%n", WARM_UP_CALLS);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    run("concurrent", skus.subList(0, WARM_UP_CALLS), quiet, ShopDemo::concurrently);
    run("sequential", skus.subList(0, WARM_UP_CALLS), quiet, ShopDemo::sequentially);
    Run concurrent = run("concurrent", skus, out, ShopDemo::concurrently);
    Run sequential = run("sequential", skus, out, ShopDemo::sequentially);
    out.println();
    out.printf(
        Locale.ROOT,
        "%-24s %6s %9s %11s %14s%n",
        "",
        "calls",
        "failures",
        "wall time",
        "peak in flight");
    for (Run r : List.of(concurrent, sequential)) {
      out.printf(
          Locale.ROOT,
          "%-24s %6d %9d %8d ms %14d%n",
          r.label(),
          r.calls(),
          r.failures().size(),
          r.wallNanos() / 1_000_000,
          r.peakInFlight());
    }
    out.printf(
        Locale.ROOT,
        "%nspeed-up: %.1fx   failure kept in its handle: %s%n",
        (double) sequential.wallNanos() / concurrent.wallNanos(),
        concurrent.failures().isEmpty() ? "none" : concurrent.failures().get(0));
  }

  /** What one way of doing the lookups measured. */
  record Run(String label, int calls, List<String> failures, long wallNanos, int peakInFlight) {}

  @FunctionalInterface
  interface Lookups {
    /** Looks up every SKU with {@code prices}; returns the failures, one line each. */
    List<String> lookUp(PriceService prices, List<String> skus, Progress progress) throws Exception;
  }

  /** Each run gets a fresh server, so its counters (the peak) are its own. */
  static Run run(String what, List<String> skus, PrintStream out, Lookups lookups)
      throws Exception {
    try (ShopServer server = ShopServer.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      server.plan(r ->
          r.path().endsWith("/" + FAILING_SKU)
              ? Reply.fail(503)
              : Reply.after(Duration.ofMillis(10 + Math.floorMod(r.path().hashCode(), 21))));
      PriceService prices = loggingFailures(new HttpProductCatalog(http, server.baseUri()));
      String label = what.equals("concurrent") ? what + " (max " + MAX_AT_ONCE + ")" : what;
      Progress progress = new Progress(out, label, skus.size());
      long start = System.nanoTime();
      List<String> failures = lookups.lookUp(prices, skus, progress);
      long wall = System.nanoTime() - start;
      progress.finish();
      return new Run(label, skus.size(), failures, wall, server.stats().peakInFlight());
    }
  }

  /**
   * Through the facade: every call starts at once (queued by the nursery's limiter), a failure
   * stays in its handle ({@code @Concurrent(suppressException = true)}), and handles are read in
   * completion order for the progress line.
   */
  static List<String> concurrently(PriceService prices, List<String> skus, Progress progress) {
    DemoTree.enableIfAsked();
    return Nursery.builder()
        .name("demo")
        .maxAtOnce(MAX_AT_ONCE)
        .run(n -> {
          DemoTree.printLater(n, System.out);
          ConcurrentPriceService facade = ConcurrentPriceService.of(n, prices);
          List<ResultCapture<Product>> handles = skus.stream().map(facade::price).toList();
          try (CompletionChannel<ResultCapture<Product>> done =
              Results.inCompletionOrder(handles)) {
            for (ResultCapture<Product> h; (h = done.receive()) != null; ) {
              progress.done(h.outcome().isSuccess());
            }
          }
          List<String> failures = new ArrayList<>();
          for (int i = 0; i < handles.size(); i++) {
            if (handles.get(i).outcome() instanceof Outcome.Failure<Product> f) {
              failures.add(skus.get(i) + ": " + f.exception().getMessage());
            }
          }
          return failures;
        });
  }

  /** Logs each failed lookup; in a task, the line carries the MDC of the code that started it. */
  static PriceService loggingFailures(PriceService prices) {
    return sku -> {
      try {
        return prices.price(sku);
      } catch (IOException e) {
        log.warn("price of {} failed: {}", sku, e.getMessage());
        throw e;
      }
    };
  }

  /** The same calls, one after another, on this thread. */
  static List<String> sequentially(PriceService prices, List<String> skus, Progress progress)
      throws InterruptedException {
    List<String> failures = new ArrayList<>();
    for (String sku : skus) {
      try {
        prices.price(sku);
        progress.done(true);
      } catch (IOException e) {
        failures.add(sku + ": " + e.getMessage());
        progress.done(false);
      }
    }
    return failures;
  }

  /**
   * Progress: on a terminal one line redrawn in place with a carriage return; otherwise (a pipe, a
   * log file) a plain line at every quarter, so that a log holds a few lines, not hundreds.
   */
  static final class Progress {
    private static final int WIDTH = 30;
    private static final boolean TERMINAL = isTerminal();
    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private int done;
    private int failed;

    Progress(PrintStream out, String label, int total) {
      this.out = out;
      this.label = label;
      this.total = total;
    }

    void done(boolean ok) {
      done++;
      if (!ok) {
        failed++;
      }
      int bar = done * WIDTH / total;
      boolean quarter = done * 4 / total != (done - 1) * 4 / total;
      if (!TERMINAL && !quarter) {
        return;
      }
      out.printf(
          Locale.ROOT,
          (TERMINAL ? "\r" : "")
              + "%-24s [%s%s] %3d/%d  failed %d  %5d ms"
              + (TERMINAL ? "" : "%n"),
          label,
          "#".repeat(bar),
          ".".repeat(WIDTH - bar),
          done,
          total,
          failed,
          (System.nanoTime() - start) / 1_000_000);
      out.flush();
    }

    void finish() {
      if (TERMINAL) {
        out.println();
      }
    }

    private static boolean isTerminal() {
      Console console = System.console();
      if (console == null) {
        return false;
      }
      try {
        // JDK 22 to 24 give a Console for a pipe too; their Console.isTerminal() tells.
        return (boolean) Console.class.getMethod("isTerminal").invoke(console);
      } catch (ReflectiveOperationException | ClassCastException e) {
        return true; // JDK 21: a Console is a terminal
      }
    }
  }
}
