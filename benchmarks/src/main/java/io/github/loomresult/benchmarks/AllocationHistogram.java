package io.github.loomresult.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Exactly what one B1 call allocates per task, class by class: where {@code -prof gc} gives one
 * number, this tells which objects make it up. It warms a B1 system up, then takes a heap class
 * histogram of every object (reachable or not, {@code GC.class_histogram -all}) before and after
 * one call and prints the difference divided by {@code n}. Run it with a young generation large
 * enough that the measured call triggers no collection, e.g.:
 *
 * <pre>{@code
 * java --enable-preview -Xms8g -Xmx8g -Xmn6g -cp benchmarks/target/benchmarks.jar \
 *   io.github.loomresult.benchmarks.AllocationHistogram loomresult 100000
 * }</pre>
 *
 * <p>Arguments: the {@link B1SpawnGather} method ({@code raw}, {@code loomresult}, {@code
 * loomresultGather}, {@code structuredTaskScope}...) and {@code n}. Classes below 1 B per task are
 * left out; {@code jdk.internal.vm.FillerElement} arrays are TLAB filler, not allocations.
 */
public final class AllocationHistogram {
  private AllocationHistogram() {}

  public static void main(String[] args) throws Exception {
    String system = args.length > 0 ? args[0] : "loomresult";
    B1SpawnGather workload = new B1SpawnGather();
    workload.n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    var call = B1SpawnGather.class.getMethod(system);
    for (int i = 0; i < 50; i++) {
      call.invoke(workload);
    }
    System.gc();
    Map<String, long[]> before = histogram(true);
    call.invoke(workload);
    Map<String, long[]> after = histogram(true);
    System.out.printf("%s, n=%d: objects and bytes per task%n", system, workload.n);
    printDifference(before, after, workload.n, 1);
  }

  /**
   * Prints, largest first, the instances and bytes per {@code n} that {@code after} has over {@code
   * before}, class by class, leaving out classes below {@code minBytes} per {@code n}, then the
   * total.
   */
  static void printDifference(
      Map<String, long[]> before, Map<String, long[]> after, int n, double minBytes) {
    List<Map.Entry<String, double[]>> rows = new ArrayList<>();
    double total = 0;
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      double count = (e.getValue()[0] - b[0]) / (double) n;
      double bytes = (e.getValue()[1] - b[1]) / (double) n;
      total += bytes;
      if (Math.abs(bytes) >= minBytes) {
        rows.add(Map.entry(e.getKey(), new double[] {count, bytes}));
      }
    }
    rows.sort((x, y) -> Double.compare(y.getValue()[1], x.getValue()[1]));
    for (Map.Entry<String, double[]> row : rows) {
      System.out.printf("%8.2f %8.1f B  %s%n", row.getValue()[0], row.getValue()[1], row.getKey());
    }
    System.out.printf("%8s %8.1f B  total%n", "", total);
  }

  /**
   * Instances and bytes per class name: of every object in the heap, reachable or not, if {@code
   * all}; otherwise of the live objects (the command collects first).
   */
  static Map<String, long[]> histogram(boolean all) throws Exception {
    String text =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {all ? new String[] {"-all"} : new String[0]},
                    new String[] {String[].class.getName()});
    Map<String, long[]> classes = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 4 && cols[0].endsWith(":")) {
        classes.put(cols[3], new long[] {Long.parseLong(cols[1]), Long.parseLong(cols[2])});
      }
    }
    return classes;
  }
}
