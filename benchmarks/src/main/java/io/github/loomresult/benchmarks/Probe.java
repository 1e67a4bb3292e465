package io.github.loomresult.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Side measurements a benchmark takes once per operation (a latency, a thread count), reported per
 * iteration by {@link ProbeProfiler} next to JMH's own numbers.
 *
 * <pre>{@code
 * long first = Probe.firstCompletion();
 * // ... the structured call returns, every thread gone ...
 * Probe.record("gone.us", (System.nanoTime() - first) / 1e3);
 * }</pre>
 */
public final class Probe {
  /** Tasks whose code is executing now (entered, not yet left), for workloads that count them. */
  static final AtomicInteger RUNNING = new AtomicInteger();

  private static final Map<String, Stat> STATS = new LinkedHashMap<>();

  private Probe() {}

  /** Adds one sample of {@code name} (its unit is the suffix after the last dot). */
  public static synchronized void record(String name, double value) {
    STATS.computeIfAbsent(name, k -> new Stat()).add(value);
  }

  /** Every statistic gathered since the last call, and forgets them. */
  static synchronized Map<String, Stat> drain() {
    Map<String, Stat> copy = new LinkedHashMap<>(STATS);
    STATS.clear();
    return copy;
  }

  static void enter() {
    RUNNING.incrementAndGet();
  }

  static void leave() {
    RUNNING.decrementAndGet();
  }

  /** Mean and maximum of the samples of one statistic. */
  static final class Stat {
    double sum;
    double max = Double.NEGATIVE_INFINITY;
    long count;

    void add(double value) {
      sum += value;
      max = Math.max(max, value);
      count++;
    }

    double mean() {
      return sum / count;
    }
  }
}
