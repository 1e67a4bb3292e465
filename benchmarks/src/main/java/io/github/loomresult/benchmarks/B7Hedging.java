package io.github.loomresult.benchmarks;

import io.github.loomresult.Race;
import io.github.loomresult.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B7 hedging: a request fans out to 20 backend calls and needs all of them. A call takes 2 ms, but
 * one in {@code tailOneIn} takes 100 ms (a heavy tail: with 20 calls, most requests meet it). The
 * hedged variant sends a second attempt of a call that has not answered within 10 ms, at most two
 * in flight. JMH's sample mode gives the percentiles: hedging should cut p90-p99 from about 100 ms
 * to about 12 ms, at the price of a few percent more calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview"})
public class B7Hedging {
  static final int FAN_OUT = 20;
  static final Duration HEDGE_AFTER = Duration.ofMillis(10);

  @Param({"20"})
  public int tailOneIn;

  private Integer call(int index) throws InterruptedException {
    boolean slow = ThreadLocalRandom.current().nextInt(tailOneIn) == 0;
    Thread.sleep(slow ? 100 : 2);
    return index;
  }

  private List<Callable<Integer>> calls(boolean hedged) {
    List<Callable<Integer>> calls = new ArrayList<>(FAN_OUT);
    for (int i = 0; i < FAN_OUT; i++) {
      int index = i;
      Callable<Integer> once = () -> call(index);
      calls.add(
          hedged ? () -> Race.repeat(2, once).staggered(HEDGE_AFTER).maxInFlight(2).run() : once);
    }
    return calls;
  }

  private int check(List<Integer> values) {
    Check.that(values.size() == FAN_OUT, "missing values");
    return values.size();
  }

  @Benchmark
  public int plain() {
    return check(Results.gather(calls(false)));
  }

  @Benchmark
  public int hedged() {
    return check(Results.gather(calls(true)));
  }
}
