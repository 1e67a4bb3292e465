package io.github.loomresult.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof io.github.loomresult.benchmarks.ProbeProfiler}) that reports what
 * the benchmarks recorded in {@link Probe} during each measurement iteration (as {@code
 * probe.<name>}, mean over the operations, and {@code probe.<name>.max}), plus {@code
 * probe.heap.peak.MB}: the sum of the peak usage of every heap pool during the iteration (an upper
 * bound of the peak heap: pools peak at different moments, and garbage counts until collected).
 */
public final class ProbeProfiler implements InternalProfiler {
  private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();

  /** Called by JMH. */
  public ProbeProfiler() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool);
      }
    }
  }

  @Override
  public String getDescription() {
    return "loomresult benchmark probes: latencies, thread counts, peak heap";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    Probe.drain();
    for (MemoryPoolMXBean pool : heapPools) {
      pool.resetPeakUsage();
    }
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's own signature
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    List<Result> out = new ArrayList<>();
    long peak = 0;
    for (MemoryPoolMXBean pool : heapPools) {
      peak += pool.getPeakUsage().getUsed();
    }
    out.add(new ScalarResult("probe.heap.peak", peak / 1048576.0, "MB", AggregationPolicy.AVG));
    for (Map.Entry<String, Probe.Stat> e : Probe.drain().entrySet()) {
      String name = e.getKey();
      String unit = name.substring(name.lastIndexOf('.') + 1);
      String label = "probe." + name.substring(0, name.lastIndexOf('.'));
      Probe.Stat s = e.getValue();
      out.add(new ScalarResult(label, s.mean(), unit, AggregationPolicy.AVG));
      out.add(new ScalarResult(label + ".max", s.max, unit, AggregationPolicy.MAX));
    }
    return out;
  }
}
